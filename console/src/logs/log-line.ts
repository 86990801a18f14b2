// Lambda's text log lines read back: which invocation a line belongs to, whether it opens
// (START), closes (END, REPORT) or is the function's own output, and the REPORT line's figures.

export type LineKind = 'start' | 'end' | 'report' | 'output';

export interface ParsedLine {
  kind: LineKind;
  requestId?: string;
  /** The console level of a function line (INFO, WARN, ERROR...). */
  level?: string;
}

/** The REPORT line's figures, in its own units (ms, MB). */
export interface ReportFigures {
  requestId: string;
  durationMs: number;
  billedDurationMs: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  /** Only on a cold start. */
  initDurationMs?: number;
  /** `timeout` or `error` when the runtime ended the invocation. */
  status?: string;
  errorType?: string;
}

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const PLATFORM = new RegExp(`^(START|END|REPORT) RequestId: (${UUID})`);
/** `<ISO time>\t<request id>\t<LEVEL>\t...` and the timeout line `<ISO time> <request id> Task timed out...`. */
const FUNCTION_LINE = new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z[\\t ](${UUID})(?:\\t([A-Z]+)\\t)?`);

export function parseLine(message: string): ParsedLine {
  const platform = PLATFORM.exec(message);
  if (platform) return { kind: platform[1].toLowerCase() as LineKind, requestId: platform[2] };
  const output = FUNCTION_LINE.exec(message);
  if (output) return { kind: 'output', requestId: output[1], level: output[2] };
  return { kind: 'output' };
}

const field = (line: string, name: string) => new RegExp(`\\b${name}: ([^\\t]+?)(?: ms| MB)?(?:\\t|$)`).exec(line)?.[1];

/** The figures of a REPORT line, or undefined when `line` is not one. */
export function parseReport(line: string): ReportFigures | undefined {
  const head = /^REPORT RequestId: (\S+)/.exec(line);
  if (!head) return undefined;
  const number = (name: string) => {
    const value = field(line, name);
    return value === undefined ? undefined : Number(value);
  };
  return {
    requestId: head[1],
    durationMs: number('Duration') ?? 0,
    billedDurationMs: number('Billed Duration') ?? 0,
    memorySizeMb: number('Memory Size') ?? 0,
    maxMemoryUsedMb: number('Max Memory Used') ?? 0,
    initDurationMs: number('Init Duration'),
    status: field(line, 'Status'),
    errorType: field(line, 'Error Type'),
  };
}

/** The REPORT figures found among `text`'s lines (a LogType Tail log), if its REPORT line is there. */
export function reportOfLog(text: string): ReportFigures | undefined {
  for (const line of text.split('\n').reverse()) {
    const figures = parseReport(line);
    if (figures) return figures;
  }
  return undefined;
}
