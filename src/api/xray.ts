// The X-Ray-compatible read API (REST JSON, SigV4 service `xray`): GetTraceSummaries
// (POST /TraceSummaries), BatchGetTraces (POST /Traces) and GetServiceGraph (POST /ServiceGraph)
// over the caller's own TraceStore. Errors in X-Ray's shape: `x-amzn-ErrorType` and `{"Message"}`.
import { Hono, type Context } from 'hono';
import type { AppContext } from '../protocols/request-context';
import { z } from 'zod';
import { RestJsonError } from '../errors';
import { jsonObjectBody } from '../protocols/aws-json';
import { member } from '../protocols/input-members';
import type { StoredTrace } from '../records/traces';
import { serviceGraph } from '../traces/service-graph';
import { traceStore } from '../bindings';
import { traceSummary, traceView } from '../traces/trace-summary';
import { guardRoutes } from '../protocols/operation-access';

/** The exact paths of the operations (signed like every API route, see src/app.ts). */
export const XRAY_PATHS = ['/TraceSummaries', '/Traces', '/ServiceGraph'] as const;
/** The SigV4 service X-Ray's requests are signed for. */
export const XRAY_SIGNING_NAME = 'xray';

/** Trace summaries per page, as X-Ray pages them. */
export const TRACE_SUMMARIES_PAGE_SIZE = 100;
/** Trace ids one BatchGetTraces call accepts. */
export const BATCH_GET_TRACES_MAX_IDS = 100;
/** X-Ray refuses time ranges longer than a day. */
const MAX_TIME_RANGE_SECONDS = 24 * 3600;
/** Traces one GetServiceGraph call reads; the graph of a busier window is built from the first ones. */
const SERVICE_GRAPH_MAX_TRACES = 2000;
const TIME_RANGE_TYPES = ['TraceId', 'Event', 'Service'];

/**
 * An X-Ray error: `x-amzn-ErrorType` and `{"Message": ...}`.
 * @example throw new XRayError('InvalidRequestException', 'StartTime must be before EndTime')
 */
export class XRayError extends RestJsonError {
  constructor(code: 'InvalidRequestException' | 'ThrottledException', message: string) {
    super(code === 'ThrottledException' ? 429 : 400, code, message, 'Message');
  }
}

const invalid = (message: string) => new XRayError('InvalidRequestException', message);

type Input = Record<string, unknown>;

export const xrayRoutes = new Hono<AppContext>();
// IAM first: X-Ray's reads name no resource (`*`), as in AWS; refused as X-Ray's 403 AccessDeniedException.
guardRoutes(xrayRoutes, [
  { method: 'POST', path: '/TraceSummaries', access: () => ({ action: 'xray:GetTraceSummaries', resource: '*' }) },
  { method: 'POST', path: '/Traces', access: () => ({ action: 'xray:BatchGetTraces', resource: '*' }) },
  { method: 'POST', path: '/ServiceGraph', access: () => ({ action: 'xray:GetServiceGraph', resource: '*' }) },
], (message) => new RestJsonError(403, 'AccessDeniedException', message, 'Message'));

xrayRoutes.post('/TraceSummaries', async (c) => {
  const input = parseInput(c);
  const { start, end } = timeRange(input);
  const rangeType = input.TimeRangeType ?? 'TraceId';
  if (typeof rangeType !== 'string' || !TIME_RANGE_TYPES.includes(rangeType)) {
    throw invalid(`TimeRangeType must be one of ${TIME_RANGE_TYPES.join(', ')}`);
  }
  if (input.FilterExpression !== undefined && input.FilterExpression !== null && input.FilterExpression !== '') {
    throw invalid('FilterExpression is not supported by faasbox: leave it out and every trace in the time range is returned.');
  }
  const page = await traceStore(c.env, c.get('caller').accountId).tracesStartedBetween(start, end, parseNextToken(input.NextToken), TRACE_SUMMARIES_PAGE_SIZE);
  return c.json({
    TraceSummaries: page.traces.map(traceSummary),
    ApproximateTime: Math.floor(Date.now() / 1000),
    TracesProcessedCount: page.traces.length,
    ...(page.next && { NextToken: btoa(JSON.stringify(page.next)) }),
  });
});

xrayRoutes.post('/Traces', async (c) => {
  const input = parseInput(c);
  const ids = input.TraceIds;
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string')) {
    throw invalid('TraceIds must be a non-empty list of trace ids');
  }
  if (ids.length > BATCH_GET_TRACES_MAX_IDS) throw invalid(`TraceIds may hold at most ${BATCH_GET_TRACES_MAX_IDS} ids`);
  const found = await traceStore(c.env, c.get('caller').accountId).getTraces(ids as string[]);
  const foundIds = new Set(found.map((t) => t.id));
  return c.json({
    Traces: found.map(traceView),
    UnprocessedTraceIds: (ids as string[]).filter((id) => !foundIds.has(id)),
  });
});

xrayRoutes.post('/ServiceGraph', async (c) => {
  const input = parseInput(c);
  const { start, end } = timeRange(input);
  if (input.NextToken !== undefined && input.NextToken !== null) throw invalid('The specified NextToken is invalid.');
  const store = traceStore(c.env, c.get('caller').accountId);
  const traces: StoredTrace[] = [];
  let cursor: { start: number; id: string } | undefined;
  do {
    const page = await store.tracesStartedBetween(start, end, cursor, TRACE_SUMMARIES_PAGE_SIZE);
    traces.push(...page.traces);
    cursor = page.next;
  } while (cursor && traces.length < SERVICE_GRAPH_MAX_TRACES);
  return c.json({ StartTime: start, EndTime: end, Services: serviceGraph(traces), ContainsOldGroupVersions: false });
});

/** The caller's own TraceStore: the account comes from the signature, never from the request. */

function parseInput(c: Context<AppContext>): Input {
  const input = jsonObjectBody(c.get('body'));
  if (input === 'not-json') throw invalid('Request body is not valid JSON');
  if (input === 'not-object') throw invalid('Request body must be a JSON object');
  return input;
}

/** StartTime and EndTime: epoch seconds (the SDKs' and CLI's encoding) or ISO 8601 text. */
function timeRange(input: Input): { start: number; end: number } {
  const start = timestamp(input, 'StartTime');
  const end = timestamp(input, 'EndTime');
  if (end < start) throw invalid('EndTime must not be earlier than StartTime.');
  if (end - start > MAX_TIME_RANGE_SECONDS) throw invalid('The time range between StartTime and EndTime must be at most 24 hours.');
  return { start, end };
}

/** Epoch seconds, or ISO 8601 text turned into them. */
const TIMESTAMP = z.union([z.number(), z.string().transform((text) => Date.parse(text) / 1000)]).pipe(z.number().finite());

function timestamp(input: Input, key: string): number {
  if (input[key] === undefined || input[key] === null) throw invalid(`1 validation error detected: Value null at '${key}' failed to satisfy constraint: Member must not be null`);
  return member(input, key, TIMESTAMP, () => invalid(`${key} must be a timestamp (epoch seconds)`));
}

function parseNextToken(token: unknown): { start: number; id: string } | undefined {
  if (token === undefined || token === null) return undefined;
  try {
    const cursor = JSON.parse(atob(String(token))) as { start: unknown; id: unknown };
    if (typeof cursor.start === 'number' && typeof cursor.id === 'string') return { start: cursor.start, id: cursor.id };
  } catch {
    // Falls through to the one error below.
  }
  throw invalid('The specified NextToken is invalid.');
}
