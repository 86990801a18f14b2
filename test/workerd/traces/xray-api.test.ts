// The X-Ray-compatible API in workerd: GetTraceSummaries, BatchGetTraces and GetServiceGraph
// shapes, paging, retention, tenant isolation and X-Ray's error shape for bad input.
import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { createTenant, deploy, type Tenant } from '../support/signed-client';
import { eventually } from '../support/observe';
import { lastHour, segmentsOf, type TraceView } from '../support/xray-client';
import { xrayApi } from '../support/aws-json-client';
import type { SegmentDocument } from '../../../src/traces/segments';
import { TRACE_SUMMARIES_PAGE_SIZE } from '../../../src/api/xray';

const traceStore = (tenant: Tenant) => env.TRACES.get(env.TRACES.idFromName(tenant.accountId));

/** A stored function segment of trace `n`, started `startMs` epoch ms. */
function segment(n: number, startMs: number): SegmentDocument {
  const hex = n.toString(16).padStart(24, '0');
  return {
    id: n.toString(16).padStart(16, '0'), trace_id: `1-${Math.floor(startMs / 1000).toString(16)}-${hex}`, name: 'stored', origin: 'AWS::Lambda::Function',
    start_time: startMs / 1000, end_time: startMs / 1000 + 0.25, http: { response: { status: 200 } },
  };
}

interface Summary {
  Id: string; StartTime: number; Duration: number; ResponseTime: number; HasFault: boolean; HasError: boolean; HasThrottle: boolean; IsPartial: boolean;
  Http: { HttpStatus?: number }; ServiceIds: { Name: string; Type: string; AccountId?: string }[]; ResourceARNs: { ARN: string }[]; EntryPoint: { Name: string };
}

describe('X-Ray API', () => {
  it('summarises an invoked function\'s trace and returns its segments', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'traced', 'exports.handler = async () => { throw new Error("nope"); };', { TracingConfig: { Mode: 'Active' } });
    const root = '1-6a1b2c3d-aaaaaaaaaaaaaaaaaaaaaaaa';
    await tenant.send('POST', '/2015-03-31/functions/traced/invocations', {}, { 'X-Amzn-Trace-Id': `Root=${root};Sampled=1` });
    const [stored] = await segmentsOf(tenant, root);

    const askedAtSeconds = Math.floor(Date.now() / 1000);
    const out = await xrayApi.call<{ TraceSummaries: Summary[]; ApproximateTime: number; TracesProcessedCount: number; NextToken?: string }>(tenant, '/TraceSummaries', lastHour());
    expect(out.TracesProcessedCount).toBe(1);
    expect(out.NextToken).toBeUndefined();
    // The time of the query: between asking and the answer.
    expect(out.ApproximateTime).toBeGreaterThanOrEqual(askedAtSeconds);
    expect(out.ApproximateTime).toBeLessThanOrEqual(Date.now() / 1000);
    const [summary] = out.TraceSummaries;
    expect(summary).toMatchObject({
      Id: root, HasError: true, HasFault: false, HasThrottle: false, IsPartial: false, Http: { HttpStatus: 200 },
      ServiceIds: [{ Name: 'traced', Type: 'AWS::Lambda::Function', AccountId: tenant.accountId }],
      ResourceARNs: [{ ARN: `arn:aws:lambda:us-east-1:${tenant.accountId}:function:traced` }],
      EntryPoint: { Name: 'traced' },
      StartTime: stored.start_time,
    });
    expect(summary.Duration).toBeCloseTo(stored.end_time - stored.start_time, 3);

    const { Traces, UnprocessedTraceIds } = await xrayApi.call<{ Traces: TraceView[]; UnprocessedTraceIds: string[] }>(tenant, '/Traces', { TraceIds: [root, '1-6a1b2c3d-bbbbbbbbbbbbbbbbbbbbbbbb'] });
    expect(UnprocessedTraceIds).toEqual(['1-6a1b2c3d-bbbbbbbbbbbbbbbbbbbbbbbb']);
    expect(Traces).toHaveLength(1);
    expect(Traces[0].Id).toBe(root);
    expect(Traces[0].Segments).toEqual([{ Id: stored.id, Document: expect.any(String) }]);
    expect(JSON.parse(Traces[0].Segments[0].Document)).toEqual(stored);
  });

  it('pages summaries oldest first with NextToken, within the time range', async () => {
    const tenant = await createTenant();
    const baseMs = Date.now() - 30 * 60_000;
    const total = TRACE_SUMMARIES_PAGE_SIZE + 20;
    await traceStore(tenant).put(Array.from({ length: total }, (_, n) => segment(n + 1, baseMs + n * 1000)));
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await xrayApi.call<{ TraceSummaries: Summary[]; NextToken?: string }>(tenant, '/TraceSummaries', { ...lastHour(), NextToken: token });
      seen.push(...page.TraceSummaries.map((s) => s.Id));
      token = page.NextToken;
      pages++;
    } while (token);
    expect(pages).toBe(2);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect(seen[0]).toBe(segment(1, baseMs).trace_id);

    // A window that holds only the first ten.
    const narrow = await xrayApi.call<{ TraceSummaries: Summary[] }>(tenant, '/TraceSummaries', { StartTime: baseMs / 1000, EndTime: baseMs / 1000 + 9.5 });
    expect(narrow.TraceSummaries).toHaveLength(10);
  });

  it('deletes traces past the 30-day retention', async () => {
    const tenant = await createTenant();
    const oldMs = Date.now() - 31 * 86_400_000;
    const recentMs = Date.now() - 60_000;
    await traceStore(tenant).put([segment(1, oldMs)], oldMs);
    await traceStore(tenant).put([segment(2, recentMs)]);
    const { Traces, UnprocessedTraceIds } = await xrayApi.call<{ Traces: TraceView[]; UnprocessedTraceIds: string[] }>(tenant, '/Traces', {
      TraceIds: [segment(1, oldMs).trace_id, segment(2, recentMs).trace_id],
    });
    expect(Traces.map((t) => t.Id)).toEqual([segment(2, recentMs).trace_id]);
    expect(UnprocessedTraceIds).toEqual([segment(1, oldMs).trace_id]);
  });

  it('never shows one tenant\'s traces to another', async () => {
    const a = await createTenant('a');
    const b = await createTenant('b');
    await deploy(a, 'secret', 'exports.handler = async () => 1;', { TracingConfig: { Mode: 'Active' } });
    const root = '1-6a1b2c3d-cccccccccccccccccccccccc';
    await a.send('POST', '/2015-03-31/functions/secret/invocations', {}, { 'X-Amzn-Trace-Id': `Root=${root}` });
    await segmentsOf(a, root);
    const asB = await xrayApi.call<{ Traces: TraceView[]; UnprocessedTraceIds: string[] }>(b, '/Traces', { TraceIds: [root] });
    expect(asB).toEqual({ Traces: [], UnprocessedTraceIds: [root] });
    expect((await xrayApi.call<{ TraceSummaries: Summary[] }>(b, '/TraceSummaries', lastHour())).TraceSummaries).toEqual([]);
    expect((await xrayApi.call<{ Services: unknown[] }>(b, '/ServiceGraph', lastHour())).Services).toEqual([]);
    await eventually(() => xrayApi.call<{ TraceSummaries: Summary[] }>(a, '/TraceSummaries', lastHour()), (out) => out.TraceSummaries.length === 1);
  });

  it('refuses bad input with InvalidRequestException in X-Ray\'s shape, and unsigned calls', async () => {
    const tenant = await createTenant();
    const now = Date.now() / 1000;
    const cases: [string, unknown, RegExp][] = [
      ['/TraceSummaries', { EndTime: now }, /StartTime/],
      ['/TraceSummaries', { StartTime: now, EndTime: now - 10 }, /EndTime must not be earlier/],
      ['/TraceSummaries', { StartTime: now - 2 * 86_400, EndTime: now }, /24 hours/],
      ['/TraceSummaries', { ...lastHour(), NextToken: 'not-a-token' }, /NextToken/],
      ['/TraceSummaries', { ...lastHour(), TimeRangeType: 'Whenever' }, /TimeRangeType/],
      ['/TraceSummaries', { ...lastHour(), FilterExpression: 'service("x")' }, /FilterExpression/],
      ['/TraceSummaries', { StartTime: 'yesterday', EndTime: now }, /StartTime must be a timestamp/],
      ['/Traces', {}, /TraceIds/],
      ['/Traces', { TraceIds: [] }, /TraceIds/],
      ['/ServiceGraph', { StartTime: now }, /EndTime/],
      ['/Traces', '{not json', /not valid JSON/],
    ];
    for (const [path, body, message] of cases) {
      const response = await tenant.as('xray').send('POST', path, body, { 'Content-Type': 'application/json' });
      expect(response.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      expect(response.headers.get('x-amzn-errortype')).toBe('InvalidRequestException');
      const error = (await response.json()) as { Message: string };
      expect(error.Message).toMatch(message);
    }
    const unsigned = await fetchUnsigned('/TraceSummaries', lastHour());
    expect(unsigned.status).toBe(403);
  });
});

async function fetchUnsigned(path: string, body: unknown): Promise<Response> {
  const { exports } = await import('cloudflare:workers');
  return exports.default.fetch(new Request(`http://faasbox.test${path}`, { method: 'POST', body: JSON.stringify(body) }));
}
