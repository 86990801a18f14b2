// X-Ray's service graph over a set of traces: a client node, one node per function and per
// remote host, and edges client -> function, function -> function (a call whose trace header
// named a fetch or segment of the caller) and function -> remote host, each with statistics.
import type { StoredTrace } from '../records/traces';
import type { SegmentDocument } from './segments';

interface Statistics {
  ok: number;
  errorThrottle: number;
  errorOther: number;
  fault: number;
  total: number;
  responseTime: number;
  start: number;
  end: number;
}

interface Node {
  referenceId: number;
  name: string;
  type: 'client' | 'AWS::Lambda::Function' | 'remote';
  accountId?: string;
  root: boolean;
  stats?: Statistics;
  edges: Map<number, Statistics>;
}

/** Adds one call (a segment or fetch subsegment) to `stats`. */
function count(stats: Statistics | undefined, call: SegmentDocument): Statistics {
  const s = stats ?? { ok: 0, errorThrottle: 0, errorOther: 0, fault: 0, total: 0, responseTime: 0, start: Infinity, end: -Infinity };
  s.total++;
  s.responseTime += call.end_time - call.start_time;
  s.start = Math.min(s.start, call.start_time);
  s.end = Math.max(s.end, call.end_time);
  if (call.fault) s.fault++;
  else if (call.throttle) s.errorThrottle++;
  else if (call.error) s.errorOther++;
  else s.ok++;
  return s;
}

function summaryStatistics(s: Statistics) {
  return {
    OkCount: s.ok,
    ErrorStatistics: { ThrottleCount: s.errorThrottle, OtherCount: s.errorOther, TotalCount: s.errorThrottle + s.errorOther },
    FaultStatistics: { OtherCount: s.fault, TotalCount: s.fault },
    TotalCount: s.total,
    TotalResponseTime: Math.round(s.responseTime * 1000) / 1000,
  };
}

/** The Services of GetServiceGraph for `traces`. */
export function serviceGraph(traces: StoredTrace[]) {
  const nodes = new Map<string, Node>();
  const node = (key: string, name: string, type: Node['type'], accountId?: string): Node => {
    let found = nodes.get(key);
    if (found && accountId) found.accountId ??= accountId;
    if (!found) {
      found = { referenceId: nodes.size, name, type, accountId, root: type === 'client', edges: new Map() };
      nodes.set(key, found);
    }
    return found;
  };
  const edge = (from: Node, to: Node, call: SegmentDocument) => from.edges.set(to.referenceId, count(from.edges.get(to.referenceId), call));

  for (const trace of traces) {
    const functions = trace.segments.filter((s) => s.origin === 'AWS::Lambda::Function');
    // Who made each span: a function segment itself, or one of its fetches.
    const spanOwner = new Map<string, SegmentDocument>();
    for (const segment of functions) {
      spanOwner.set(segment.id, segment);
      for (const fetch of fetchesOf(segment)) spanOwner.set(fetch.id, segment);
    }
    const calledFunctionBySpan = new Map<string, SegmentDocument>();
    for (const segment of functions) {
      const target = node(`fn:${segment.name}`, segment.name, 'AWS::Lambda::Function', segment.aws?.account_id);
      target.stats = count(target.stats, segment);
      const caller = segment.parent_id ? spanOwner.get(segment.parent_id) : undefined;
      if (caller) calledFunctionBySpan.set(segment.parent_id!, segment);
      const from = caller ? node(`fn:${caller.name}`, caller.name, 'AWS::Lambda::Function') : node('client', 'client', 'client');
      if (!caller) target.root = true;
      edge(from, target, segment);
    }
    for (const segment of functions) {
      const from = node(`fn:${segment.name}`, segment.name, 'AWS::Lambda::Function');
      for (const fetch of fetchesOf(segment)) {
        // A fetch that reached another traced function is already that function's edge.
        if (calledFunctionBySpan.has(fetch.id)) continue;
        const host = node(`remote:${fetch.name}`, fetch.name, 'remote');
        host.stats = count(host.stats, fetch);
        edge(from, host, fetch);
      }
    }
  }

  return [...nodes.values()].map((n) => ({
    ReferenceId: n.referenceId,
    Name: n.name,
    Names: [n.name],
    Root: n.root,
    ...(n.accountId && { AccountId: n.accountId }),
    Type: n.type,
    State: n.type === 'client' || n.type === 'remote' ? 'unknown' : 'active',
    ...(n.stats && { StartTime: n.stats.start, EndTime: n.stats.end, SummaryStatistics: summaryStatistics(n.stats) }),
    Edges: [...n.edges].map(([referenceId, s]) => ({
      ReferenceId: referenceId,
      StartTime: s.start,
      EndTime: s.end,
      SummaryStatistics: summaryStatistics(s),
      ResponseTimeHistogram: [],
      Aliases: [],
    })),
    DurationHistogram: [],
    ResponseTimeHistogram: [],
  }));
}

/** The remote subsegments of a function segment, at any depth. */
function fetchesOf(segment: SegmentDocument): SegmentDocument[] {
  const found: SegmentDocument[] = [];
  const walk = (s: SegmentDocument) => {
    for (const sub of s.subsegments ?? []) {
      if (sub.namespace === 'remote') found.push(sub);
      walk(sub);
    }
  };
  walk(segment);
  return found;
}
