// A strict reader of the Prometheus text exposition format (0.0.4), for tests: it throws on any
// line a scraper would reject or that breaks the format's rules, and returns the samples.
// Plain TypeScript (no workerd imports): the e2e tests use it too.

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  types: Map<string, string>;
  samples: Sample[];
  /** The value of `name` with exactly these labels; undefined when absent. */
  value(name: string, labels?: Record<string, string>): number | undefined;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'summary', 'histogram', 'untyped']);

export function parseExposition(text: string): Exposition {
  if (!text.endsWith('\n')) throw new Error('exposition must end with a newline');
  const types = new Map<string, string>();
  const helps = new Set<string>();
  const samples: Sample[] = [];
  const seenSeries = new Set<string>();
  const closedFamilies = new Set<string>();
  let currentFamily: string | undefined;
  const enterFamily = (family: string) => {
    if (family === currentFamily) return;
    if (closedFamilies.has(family)) throw new Error(`family ${family} is not contiguous`);
    if (currentFamily) closedFamilies.add(currentFamily);
    currentFamily = family;
  };
  for (const [index, line] of text.slice(0, -1).split('\n').entries()) {
    const where = `line ${index + 1} '${line}'`;
    if (line.startsWith('#')) {
      const meta = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
      if (!meta) throw new Error(`${where}: a comment that is neither HELP nor TYPE`);
      const [, kind, name, rest] = meta;
      if (!NAME.test(name)) throw new Error(`${where}: bad metric name`);
      enterFamily(name);
      if (kind === 'HELP') {
        if (helps.has(name)) throw new Error(`${where}: second HELP`);
        if (/\\[^\\n]/.test(rest.replace(/\\\\/g, ''))) throw new Error(`${where}: bad escape in HELP`);
        helps.add(name);
      } else {
        if (types.has(name)) throw new Error(`${where}: second TYPE`);
        if (!TYPES.has(rest)) throw new Error(`${where}: unknown type`);
        if (samples.some((s) => familyOf(s.name, types) === name)) throw new Error(`${where}: TYPE after samples`);
        if (rest === 'counter' && !name.endsWith('_total')) throw new Error(`${where}: counter not named *_total`);
        types.set(name, rest);
      }
      continue;
    }
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)( -?\d+)?$/.exec(line);
    if (!match) throw new Error(`${where}: not a sample`);
    const [, name, labelText, valueText] = match;
    const labels = parseLabels(labelText ?? '', where);
    const value = parseValue(valueText, where);
    const family = familyOf(name, types);
    const type = types.get(family);
    if (!type) throw new Error(`${where}: sample without a TYPE`);
    enterFamily(family);
    if (type === 'summary' && name === family && labels.quantile === undefined) throw new Error(`${where}: summary sample without quantile`);
    if (type === 'histogram' && name === `${family}_bucket` && labels.le === undefined) throw new Error(`${where}: bucket without le`);
    const series = `${name}{${Object.entries(labels).sort().map(([k, v]) => `${k}=${v}`).join(',')}}`;
    if (seenSeries.has(series)) throw new Error(`${where}: duplicate series`);
    seenSeries.add(series);
    samples.push({ name, labels, value });
  }
  return {
    types,
    samples,
    value(name, labels = {}) {
      const wanted = JSON.stringify(Object.entries(labels).sort());
      return samples.find((s) => s.name === name && JSON.stringify(Object.entries(s.labels).sort()) === wanted)?.value;
    },
  };
}

function familyOf(name: string, types: Map<string, string>): string {
  for (const suffix of ['_sum', '_count', '_bucket']) {
    const base = name.slice(0, -suffix.length);
    if (name.endsWith(suffix) && ['summary', 'histogram'].includes(types.get(base) ?? '')) return base;
  }
  return name;
}

function parseLabels(text: string, where: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text;
  while (rest.length > 0) {
    const match = /^([^=]+)="((?:[^"\\]|\\[\\"n])*)"(,|$)/.exec(rest);
    if (!match || !LABEL_NAME.test(match[1])) throw new Error(`${where}: bad labels`);
    if (Object.hasOwn(labels, match[1])) throw new Error(`${where}: repeated label`);
    labels[match[1]] = match[2].replace(/\\(.)/g, (_, ch: string) => (ch === 'n' ? '\n' : ch));
    rest = rest.slice(match[0].length);
  }
  return labels;
}

function parseValue(text: string, where: string): number {
  if (text === 'NaN') return NaN;
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (!/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`${where}: bad value`);
  return Number(text);
}
