// A time-series chart on a canvas, drawn by uPlot (imported lazily, in a chunk of its own; its
// stylesheet is imported by the eagerly loaded pages that use this). Counts draw as bars, times and
// rates as lines; the chart follows its container's width.
import { useEffect, useRef } from 'preact/hooks';
import type uPlotType from 'uplot';

export interface ChartSeries {
  label: string;
  /** One value per timestamp; null where the period had no data (a gap, not a zero). */
  values: (number | null)[];
  color: string;
  bars?: boolean;
  /** 'y' (the left axis, default) or 'right' (a second axis, e.g. a percentage). */
  scale?: 'y' | 'right';
}

export interface TimeSeriesChartProps {
  /** The accessible name of the drawing; the figures beside it say the same in text. */
  label: string;
  /** Period starts, epoch seconds. */
  timestamps: number[];
  series: ChartSeries[];
  /** The x range shown, epoch seconds, so an idle stretch still shows as time. */
  range: [number, number];
  format: (value: number) => string;
  /** Range of the right axis (for percentages: [0, 100]). */
  rightRange?: [number, number];
  rightFormat?: (value: number) => string;
  /** Counts: ticks on whole numbers only. */
  integer?: boolean;
  height?: number;
}

/** Tick steps of a count axis: 1, 2, 5, 10, 20, 50, ... */
const WHOLE_INCREMENTS = Array.from({ length: 30 }, (_, i) => [1, 2, 5][i % 3] * 10 ** Math.floor(i / 3));

let uPlotModule: Promise<typeof uPlotType> | undefined;
const loadUPlot = () => (uPlotModule ??= import('uplot').then((m) => m.default));

/** A CSS custom property of the page as uPlot's canvas needs it (a colour string). */
function cssVariable(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

export function TimeSeriesChart(props: TimeSeriesChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlotType | undefined>(undefined);
  const latest = useRef(props);
  latest.current = props;
  const height = props.height ?? 170;
  // A new chart only when the series themselves change; new data goes through setData.
  const structure = props.series.map((s) => `${s.label}|${s.bars ? 'b' : 'l'}|${s.scale ?? 'y'}`).join(',');

  useEffect(() => {
    let cancelled = false;
    let observer: ResizeObserver | undefined;
    void loadUPlot().then((uPlot) => {
      if (cancelled || !host.current) return;
      const text = cssVariable('--muted', '#545b64');
      const grid = cssVariable('--border', '#d5dbdb');
      // Keys left out rather than set to undefined: uPlot merges options over its defaults.
      const axis = (format: (v: number) => string, right = false): uPlotType.Axis => ({
        stroke: text, size: 64,
        ...(right ? { side: 1, scale: 'right' } : {}),
        ...(!right && latest.current.integer ? { incrs: WHOLE_INCREMENTS } : {}),
        grid: { stroke: grid, width: 1, show: !right },
        ticks: { stroke: grid, width: 1 },
        values: (_u, values) => values.map((v) => (v === null ? '' : format(v))),
      });
      const p = latest.current;
      const bars = uPlot.paths.bars?.({ size: [0.7, 28] });
      const options: uPlotType.Options = {
        width: host.current.clientWidth || 400,
        height,
        scales: {
          x: { time: true, range: () => latest.current.range },
          y: { range: (_u, _min, max) => [0, Math.max(1, max ?? 1) * 1.1] },
          ...(p.rightRange ? { right: { range: () => latest.current.rightRange! } } : {}),
        },
        axes: [
          { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } },
          axis(p.format),
          ...(p.rightRange ? [axis(p.rightFormat ?? p.format, true)] : []),
        ],
        series: [
          {},
          ...p.series.map((s): uPlotType.Series => ({
            label: s.label,
            stroke: s.color,
            width: s.bars ? 0 : 2,
            ...(s.bars ? { fill: s.color, paths: bars } : {}),
            scale: s.scale ?? 'y',
            spanGaps: false,
            points: { show: !s.bars, size: 6 },
            value: (_u, v) => (v === null || v === undefined ? '–' : (s.scale === 'right' ? (p.rightFormat ?? p.format) : p.format)(v)),
          })),
        ],
        legend: { show: true, live: true },
        cursor: { drag: { x: false, y: false } },
      };
      chart.current = new uPlot(options, dataOf(p), host.current);
      observer = new ResizeObserver(() => {
        const width = host.current?.clientWidth;
        if (width && chart.current && Math.abs(chart.current.width - width) > 1) chart.current.setSize({ width, height });
      });
      observer.observe(host.current);
    });
    return () => {
      cancelled = true;
      observer?.disconnect();
      chart.current?.destroy();
      chart.current = undefined;
    };
  }, [structure, height, Boolean(props.rightRange), Boolean(props.integer)]);

  useEffect(() => {
    chart.current?.setData(dataOf(props));
  }, [props.timestamps, props.series, props.range[0], props.range[1]]);

  return <div class="chart" role="img" aria-label={props.label} ref={host} style={{ minHeight: `${height + 30}px` }} />;
}

function dataOf(props: TimeSeriesChartProps): uPlotType.AlignedData {
  return [props.timestamps, ...props.series.map((s) => s.values)] as uPlotType.AlignedData;
}
