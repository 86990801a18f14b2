// The function page's live log dock: the function's lines as the tail streams them, grouped by
// invocation (START..REPORT), filtered by text and request id, paused, cleared. Fixed height and
// virtualized (only the rows in view are in the DOM), so thousands of lines neither jump the page
// nor slow it.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { followLogGroup, functionLogGroup, type LogLine, type TailState } from '../aws/logs';
import type { ApiError } from '../aws/client';
import { awsCli } from '../cli';
import { CliHint } from '../components/CliHint';
import { formatMs } from '../format';
import { LogBuffer, type DockRow } from './log-buffer';
import { RequestIdLink } from './RequestIdLink';
import '../styles/logs.css';

/** Every row is this tall (px), which is what lets the list be virtualized (logs.css agrees). */
const ROW_HEIGHT = 20;
/** Rows rendered above and below the visible ones. */
const OVERSCAN = 10;
/** How close to the bottom (px) still counts as following the newest lines. */
const FOLLOW_SLACK = ROW_HEIGHT * 2;

const STATE_TEXT: Record<TailState, string> = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', stopped: 'Stopped' };

/** A function line without its `<time>\t<request id>\t<LEVEL>\t` prefix (the row shows those apart). */
function messageText(row: Extract<DockRow, { type: 'line' }>): string {
  const { message, kind, level } = row.line;
  if (kind !== 'output' || !row.group.requestId) return message;
  const parts = message.split('\t');
  return level ? parts.slice(3).join('\t') : parts.slice(2).join('\t') || message;
}

const timeOf = (ms: number) => new Date(ms).toISOString().slice(11, 23);

export function LogDock({ functionName, logGroup = functionLogGroup(functionName) }: { functionName: string; logGroup?: string }) {
  const buffer = useMemo(() => new LogBuffer(), [functionName]);
  const [version, setVersion] = useState(0);
  const [state, setState] = useState<TailState>('connecting');
  const [error, setError] = useState<ApiError>();
  const [paused, setPaused] = useState(false);
  const [held, setHeld] = useState(0);
  const [text, setText] = useState('');
  const [requestId, setRequestId] = useState('');
  const [scrollTop, setScrollTop] = useState(0);
  const scroller = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  const pausedRef = useRef(false);
  const heldLines = useRef<LogLine[]>([]);

  // Lines are added as they come but drawn at most once a frame.
  useEffect(() => {
    const controller = new AbortController();
    let frame = 0;
    const redraw = () => {
      if (!frame) frame = requestAnimationFrame(() => { frame = 0; setVersion((v) => v + 1); });
    };
    void followLogGroup(logGroup, {
      onLines(lines) {
        if (pausedRef.current) {
          heldLines.current.push(...lines);
          setHeld(heldLines.current.length);
          return;
        }
        buffer.add(lines);
        redraw();
      },
      onState(next, refusal) {
        setState(next);
        setError(refusal);
      },
    }, controller.signal);
    return () => { controller.abort(); cancelAnimationFrame(frame); };
  }, [functionName, logGroup, buffer]);

  const rows = useMemo(() => buffer.rows(text, requestId), [buffer, version, text, requestId]);

  // Keep the newest line in view while the reader is at the bottom.
  useEffect(() => {
    const element = scroller.current;
    if (element && following.current) element.scrollTop = element.scrollHeight;
  }, [rows]);

  const onScroll = () => {
    const element = scroller.current!;
    following.current = element.scrollHeight - element.scrollTop - element.clientHeight <= FOLLOW_SLACK;
    setScrollTop(element.scrollTop);
  };

  const viewHeight = scroller.current?.clientHeight ?? 240;
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + viewHeight) / ROW_HEIGHT) + OVERSCAN);

  const togglePause = () => {
    const next = !paused;
    pausedRef.current = next;
    setPaused(next);
    if (!next && heldLines.current.length > 0) {
      buffer.add(heldLines.current);
      heldLines.current = [];
      setHeld(0);
      setVersion((v) => v + 1);
    }
  };
  const clear = () => {
    buffer.clear();
    heldLines.current = [];
    setHeld(0);
    following.current = true;
    setVersion((v) => v + 1);
  };
  const toggleGroup = (key: string) => {
    buffer.toggle(key);
    setVersion((v) => v + 1);
  };

  const status = paused ? `Paused${held > 0 ? ` · ${held} new line${held === 1 ? '' : 's'} held` : ''}` : STATE_TEXT[state];
  return (
    <section class="log-dock card" aria-labelledby="log-dock-title">
      <div class="log-dock-head">
        <h2 id="log-dock-title">Live logs</h2>
        <span class={`log-dock-state ${paused ? 'paused' : state}`} role="status">{status}</span>
        <span class="muted log-dock-count">{buffer.size.toLocaleString()} line{buffer.size === 1 ? '' : 's'}</span>
        <input type="search" class="log-dock-filter" aria-label="Filter log lines by text" placeholder="Filter text" value={text} onInput={(e) => setText(e.currentTarget.value)} />
        <input type="search" class="log-dock-filter mono" aria-label="Filter by request ID" placeholder="Request ID" value={requestId} onInput={(e) => setRequestId(e.currentTarget.value)} />
        <button type="button" class="button small" aria-pressed={paused} onClick={togglePause}>{paused ? 'Resume' : 'Pause'}</button>
        <button type="button" class="button small" onClick={clear}>Clear</button>
      </div>
      {error && <p class="banner error log-dock-error" role="alert"><strong>{error.code}</strong> {error.message}</p>}
      <div class="log-dock-body" ref={scroller} onScroll={onScroll} tabIndex={0} role="log" aria-live="off" aria-label={`Log lines of ${functionName}`}>
        {rows.length === 0 ? (
          <p class="log-dock-empty muted">{buffer.size === 0 ? `Waiting for ${logGroup}: lines appear here as the function writes them.` : 'No line matches the filter.'}</p>
        ) : (
          <div class="log-dock-rows" style={{ height: `${rows.length * ROW_HEIGHT}px` }}>
            {rows.slice(first, last).map((row, i) => (
              <div key={row.type === 'group' ? `g-${row.group.key}` : `l-${row.line.id}`} class={`log-row ${row.type === 'group' ? 'log-group' : `log-line ${row.line.kind}`}`} style={{ top: `${(first + i) * ROW_HEIGHT}px` }}>
                {row.type === 'group' ? <GroupRow row={row} functionName={functionName} onToggle={toggleGroup} /> : (
                  <>
                    <span class="log-time">{timeOf(row.line.timestamp)}</span>
                    {row.line.level && <span class={`log-level ${row.line.level.toLowerCase()}`}>{row.line.level}</span>}
                    <span class="log-text" title={row.line.message.length > 200 ? row.line.message.slice(0, 2000) : undefined}>{messageText(row)}</span>
                  </>
                )}
              </div>
            ))}
          </div>
        )}
      </div>
      <CliHint command={awsCli('logs', 'tail', [logGroup, '--follow'])} />
    </section>
  );
}

function GroupRow({ row, functionName, onToggle }: { row: Extract<DockRow, { type: 'group' }>; functionName: string; onToggle(key: string): void }) {
  const { group, collapsed, shownLines } = row;
  const report = group.report;
  return (
    <>
      <button type="button" class="log-toggle" aria-expanded={!collapsed} aria-label={collapsed ? 'Expand invocation' : 'Collapse invocation'} onClick={() => onToggle(group.key)}>{collapsed ? '▸' : '▾'}</button>
      {group.requestId ? <RequestIdLink requestId={group.requestId} functionName={functionName} /> : <span class="muted">Lines of no invocation</span>}
      <span class="log-group-summary">
        {report
          ? `${report.status ? `${report.status} · ` : ''}${formatMs(report.durationMs)} · billed ${report.billedDurationMs} ms · ${report.maxMemoryUsedMb}/${report.memorySizeMb} MB${report.initDurationMs !== undefined ? ` · init ${formatMs(report.initDurationMs)}` : ''}`
          : group.requestId ? 'running…' : ''}
      </span>
      <span class="muted">{shownLines} line{shownLines === 1 ? '' : 's'}</span>
    </>
  );
}
