// The live dock's lines, grouped into invocations (START..REPORT by request id), bounded in
// count, and flattened into the rows the dock shows for a text and request-id filter.
import { parseLine, parseReport, type LineKind, type ReportFigures } from './log-line';
import type { LogLine } from '../aws/logs';

export interface DockLine {
  id: string;
  timestamp: number;
  message: string;
  kind: LineKind;
  level?: string;
}

export interface InvocationGroup {
  /** Unique per group: the request id, or a counter for lines of no invocation. */
  key: string;
  requestId?: string;
  lines: DockLine[];
  report?: ReportFigures;
  ended: boolean;
}

export type DockRow =
  | { type: 'group'; group: InvocationGroup; collapsed: boolean; shownLines: number }
  | { type: 'line'; line: DockLine; group: InvocationGroup };

/** Lines kept; past it the oldest invocations go (10,000 must stay, with room to spare). */
export const MAX_DOCK_LINES = 20_000;

export class LogBuffer {
  private groups: InvocationGroup[] = [];
  private byRequestId = new Map<string, InvocationGroup>();
  private lineCount = 0;
  private loose = 0;
  readonly collapsed = new Set<string>();

  get size(): number {
    return this.lineCount;
  }

  add(lines: LogLine[]): void {
    for (const line of lines) {
      const parsed = parseLine(line.message);
      const dockLine: DockLine = { id: line.id, timestamp: line.timestamp, message: line.message, kind: parsed.kind, level: parsed.level };
      let group = parsed.requestId ? this.byRequestId.get(parsed.requestId) : undefined;
      if (!group) {
        const last = this.groups[this.groups.length - 1];
        if (!parsed.requestId && last && !last.requestId) group = last;
        else {
          group = { key: parsed.requestId ?? `lines-${++this.loose}`, requestId: parsed.requestId, lines: [], ended: false };
          this.groups.push(group);
          if (parsed.requestId) this.byRequestId.set(parsed.requestId, group);
        }
      }
      group.lines.push(dockLine);
      if (parsed.kind === 'report') {
        group.report = parseReport(line.message);
        group.ended = true;
      }
      this.lineCount++;
    }
    while (this.lineCount > MAX_DOCK_LINES && this.groups.length > 1) {
      const dropped = this.groups.shift()!;
      this.lineCount -= dropped.lines.length;
      if (dropped.requestId) this.byRequestId.delete(dropped.requestId);
      this.collapsed.delete(dropped.key);
    }
  }

  clear(): void {
    this.groups = [];
    this.byRequestId.clear();
    this.collapsed.clear();
    this.lineCount = 0;
  }

  toggle(key: string): void {
    if (!this.collapsed.delete(key)) this.collapsed.add(key);
  }

  /** The rows to show: each group's header, then its lines unless collapsed, filtered. */
  rows(textFilter: string, requestIdFilter: string): DockRow[] {
    const text = textFilter.trim().toLowerCase();
    const requestId = requestIdFilter.trim().toLowerCase();
    const rows: DockRow[] = [];
    for (const group of this.groups) {
      if (requestId && !(group.requestId ?? '').toLowerCase().includes(requestId)) continue;
      const lines = text ? group.lines.filter((l) => l.message.toLowerCase().includes(text)) : group.lines;
      if (text && lines.length === 0) continue;
      const collapsed = this.collapsed.has(group.key);
      rows.push({ type: 'group', group, collapsed, shownLines: lines.length });
      if (!collapsed) for (const line of lines) rows.push({ type: 'line', line, group });
    }
    return rows;
  }
}
