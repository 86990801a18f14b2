// Traces through the Lambda API in workerd: the incoming header reaches the guest and every
// outbound fetch (to a real HTTP server in Node), and the recorded segment's subsegments match
// the fetches the function made.
import { describe, expect, inject, it } from 'vitest';
import { createTenant, deploy, type Tenant } from '../support/signed-client';
import { eventually } from '../support/observe';
import { segmentsOf, lastHour } from '../support/xray-client';
import { xrayApi } from '../support/aws-json-client';

const FETCHER = `exports.handler = async (event, context) => {
  const seen = [];
  for (const path of event.paths ?? []) {
    try {
      const response = await fetch(event.target + path, { method: path.startsWith('/status/201') ? 'POST' : 'GET' });
      seen.push({ status: response.status, headers: (await response.json()).headers });
    } catch (error) {
      seen.push({ error: error.message });
    }
  }
  if (event.fail) throw new Error('asked to fail');
  return { variable: process.env._X_AMZN_TRACE_ID, xRayTraceId: context.xRayTraceId, w3c: context.w3c(), seen };
};`;

const ROOT = '1-6a1b2c3d-0123456789abcdef01234567';
const CALLER_PARENT = '1122334455667788';

interface Seen { status?: number; headers?: Record<string, string>; error?: string }
interface Answer { variable?: string; xRayTraceId?: string; w3c: { traceparent?: string }; seen: Seen[] }

async function invoke(tenant: Tenant, name: string, event: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await tenant.send('POST', `/2015-03-31/functions/${name}/invocations`, event, headers);
  expect(response.status).toBe(200);
  return (await response.json()) as Answer;
}

const parentOf = (header: string | undefined) => /Parent=([0-9a-f]{16})/.exec(header ?? '')?.[1];

describe('TracingConfig', () => {
  it('defaults to PassThrough, is set by Create and UpdateFunctionConfiguration, and refuses other modes', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'configured', FETCHER);
    const read = async () => ((await (await tenant.send('GET', '/2015-03-31/functions/configured/configuration')).json()) as { TracingConfig: unknown }).TracingConfig;
    expect(await read()).toEqual({ Mode: 'PassThrough' });
    const updated = await tenant.send('PUT', '/2015-03-31/functions/configured/configuration', { TracingConfig: { Mode: 'Active' } });
    expect(((await updated.json()) as { TracingConfig: unknown }).TracingConfig).toEqual({ Mode: 'Active' });
    expect(await read()).toEqual({ Mode: 'Active' });
    const refused = await tenant.send('PUT', '/2015-03-31/functions/configured/configuration', { TracingConfig: { Mode: 'Always' } });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('x-amzn-errortype')).toBe('ValidationException');
    expect(((await refused.json()) as { message: string }).message).toContain('Member must satisfy enum value set: [Active, PassThrough]');
  });
});

describe('trace propagation and segments', () => {
  it('continues the caller\'s X-Amzn-Trace-Id into the guest, each fetch and the recorded segment', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'fetcher', FETCHER, { TracingConfig: { Mode: 'Active' } });
    const target = inject('httpTargetUrl');
    const answer = await invoke(tenant, 'fetcher', { target, paths: ['/status/200', '/status/201', '/status/503'] }, {
      'X-Amzn-Trace-Id': `Root=${ROOT};Parent=${CALLER_PARENT};Sampled=1`,
    });

    // The guest: the variable and context agree, and name the function's segment as parent.
    expect(answer.variable).toMatch(new RegExp(`^Root=${ROOT};Parent=[0-9a-f]{16};Sampled=1$`));
    expect(answer.xRayTraceId).toBe(answer.variable);
    const segmentId = parentOf(answer.variable)!;
    expect(answer.w3c.traceparent).toBe(`00-6a1b2c3d0123456789abcdef01234567-${segmentId}-01`);

    // Each fetch carried both headers, with its own span as parent.
    const spans = answer.seen.map((s) => {
      const xrayHeader = s.headers!['x-amzn-trace-id'];
      expect(xrayHeader).toMatch(new RegExp(`^Root=${ROOT};Parent=[0-9a-f]{16};Sampled=1$`));
      const span = parentOf(xrayHeader)!;
      expect(s.headers!.traceparent).toBe(`00-6a1b2c3d0123456789abcdef01234567-${span}-01`);
      return span;
    });
    expect(new Set([...spans, segmentId]).size).toBe(4);

    const [segment] = await segmentsOf(tenant, ROOT);
    expect(segment).toMatchObject({
      id: segmentId, trace_id: ROOT, parent_id: CALLER_PARENT, name: 'fetcher', origin: 'AWS::Lambda::Function',
      http: { response: { status: 200 } },
      aws: { account_id: tenant.accountId, function_arn: `arn:aws:lambda:us-east-1:${tenant.accountId}:function:fetcher` },
    });
    expect(segment.error).toBeUndefined();
    expect(segment.fault).toBeUndefined();
    expect(segment.end_time).toBeGreaterThanOrEqual(segment.start_time);
    expect(segment.subsegments!.map((s) => s.name)).toEqual(['Initialization', 'Invocation', 'Overhead']);
    const invocation = segment.subsegments![1];
    const host = new URL(target).host;
    expect(invocation.subsegments).toEqual([
      expect.objectContaining({ id: spans[0], name: host, namespace: 'remote', http: { request: { method: 'GET', url: `${target}/status/200` }, response: { status: 200 } } }),
      expect.objectContaining({ id: spans[1], name: host, namespace: 'remote', http: { request: { method: 'POST', url: `${target}/status/201` }, response: { status: 201 } } }),
      expect.objectContaining({ id: spans[2], name: host, namespace: 'remote', fault: true, http: { request: { method: 'GET', url: `${target}/status/503` }, response: { status: 503 } } }),
    ]);
    for (const fetch of invocation.subsegments!) {
      expect(fetch.start_time).toBeGreaterThanOrEqual(invocation.start_time);
      expect(fetch.end_time).toBeLessThanOrEqual(invocation.end_time);
    }
  });

  it('records no Initialization on a warm start, and a failed fetch as a fault with its cause', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'warm', FETCHER, { TracingConfig: { Mode: 'Active' } });
    const first = await invoke(tenant, 'warm', {});
    // A name under .invalid never resolves (RFC 6761): a network error, past the egress rules.
    const second = await invoke(tenant, 'warm', { target: 'http://closed.invalid', paths: ['/closed'] });
    expect(second.seen[0].error).toMatch(/^fetch failed/);
    const root = (answer: Answer) => /Root=([^;]+)/.exec(answer.variable!)![1];
    expect(root(first)).not.toBe(root(second));
    const [cold] = await segmentsOf(tenant, root(first));
    const [warm] = await segmentsOf(tenant, root(second));
    expect(cold.subsegments!.map((s) => s.name)).toEqual(['Initialization', 'Invocation', 'Overhead']);
    expect(warm.subsegments!.map((s) => s.name)).toEqual(['Invocation', 'Overhead']);
    expect(warm.parent_id).toBeUndefined();
    const [failed] = warm.subsegments![0].subsegments!;
    expect(failed).toMatchObject({ name: 'closed.invalid', namespace: 'remote', fault: true, http: { request: { method: 'GET', url: 'http://closed.invalid/closed' } } });
    expect(failed.cause!.exceptions[0].message).toMatch(/^fetch failed/);
  });

  it('honours an incoming traceparent, converted to the X-Ray root', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'w3c', FETCHER, { TracingConfig: { Mode: 'Active' } });
    const answer = await invoke(tenant, 'w3c', {}, { traceparent: '00-6a1b2c3d0123456789abcdef01234567-aaaaaaaaaaaaaaaa-01' });
    expect(answer.variable).toMatch(new RegExp(`^Root=${ROOT};Parent=[0-9a-f]{16};Sampled=1$`));
    const [segment] = await segmentsOf(tenant, ROOT);
    expect(segment.parent_id).toBe('aaaaaaaaaaaaaaaa');
  });

  it('marks a handler error as an error with its exception, and a throttle as a throttle', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'failing', FETCHER, { TracingConfig: { Mode: 'Active' } });
    const failed = await tenant.send('POST', '/2015-03-31/functions/failing/invocations', { fail: true }, { 'X-Amzn-Trace-Id': `Root=${ROOT}` });
    expect(failed.headers.get('x-amz-function-error')).toBe('Unhandled');
    const [segment] = await segmentsOf(tenant, ROOT);
    expect(segment).toMatchObject({ error: true, cause: { exceptions: [{ type: 'Error', message: 'asked to fail' }] } });
    expect(segment.subsegments![1]).toMatchObject({ name: 'Invocation', error: true });

    await tenant.send('PUT', '/2017-10-31/functions/failing/concurrency', { ReservedConcurrentExecutions: 0 });
    const throttledRoot = '1-6a1b2c3d-77777777777777777777aaaa';
    const throttled = await tenant.send('POST', '/2015-03-31/functions/failing/invocations', {}, { 'X-Amzn-Trace-Id': `Root=${throttledRoot}` });
    expect(throttled.status).toBe(429);
    const [throttleSegment] = await segmentsOf(tenant, throttledRoot);
    expect(throttleSegment).toMatchObject({ name: 'failing', throttle: true, error: true, http: { response: { status: 429 } } });
    expect(throttleSegment.subsegments).toBeUndefined();
  });

  it('passes the trace on without recording it when the function is PassThrough', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'quiet', FETCHER);
    const target = inject('httpTargetUrl');
    const fresh = await invoke(tenant, 'quiet', { target, paths: ['/status/200'] });
    // As on Lambda: a trace id even without tracing, not sampled.
    expect(fresh.variable).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/);
    expect(fresh.seen[0].headers!['x-amzn-trace-id']).toMatch(/;Sampled=0$/);
    expect(fresh.seen[0].headers!.traceparent).toMatch(/-00$/);
    const continued = await invoke(tenant, 'quiet', { target, paths: ['/status/200'] }, { 'X-Amzn-Trace-Id': `Root=${ROOT};Parent=${CALLER_PARENT};Sampled=1` });
    expect(continued.seen[0].headers!['x-amzn-trace-id']).toMatch(new RegExp(`^Root=${ROOT};Parent=[0-9a-f]{16};Sampled=1$`));
    // Nothing is recorded: the trace store of the account stays empty.
    const { TraceSummaries } = await xrayApi.call<{ TraceSummaries: unknown[] }>(tenant, '/TraceSummaries', lastHour());
    expect(TraceSummaries).toEqual([]);
  });

  it('carries the trace through the queue to an async invocation and on to a destination function', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'first', 'exports.handler = async () => ({ step: 1 });', { TracingConfig: { Mode: 'Active' } });
    await deploy(tenant, 'second', 'exports.handler = async (event) => process.env._X_AMZN_TRACE_ID;', { TracingConfig: { Mode: 'Active' } });
    await tenant.send('PUT', '/2019-09-25/functions/first/event-invoke-config', {
      DestinationConfig: { OnSuccess: { Destination: `arn:aws:lambda:us-east-1:${tenant.accountId}:function:second` } },
    });
    const response = await tenant.send('POST', '/2015-03-31/functions/first/invocations', {}, {
      'X-Amz-Invocation-Type': 'Event', 'X-Amzn-Trace-Id': `Root=${ROOT};Parent=${CALLER_PARENT};Sampled=1`,
    });
    expect(response.status).toBe(202);
    const segments = await segmentsOf(tenant, ROOT, 2);
    const first = segments.find((s) => s.name === 'first')!;
    const second = segments.find((s) => s.name === 'second')!;
    expect(first.parent_id).toBe(CALLER_PARENT);
    expect(second.parent_id).toBe(first.id);

    const graph = await xrayApi.call<{ Services: ServiceNode[] }>(tenant, '/ServiceGraph', lastHour());
    expect(edgesOf(graph.Services)).toEqual(['client -> first', 'first -> second']);
  });

  it('draws the service graph: client -> function -> remote host, with statistics', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'mapper', FETCHER, { TracingConfig: { Mode: 'Active' } });
    const target = inject('httpTargetUrl');
    await invoke(tenant, 'mapper', { target, paths: ['/status/200', '/status/404'] });
    await invoke(tenant, 'mapper', { target, paths: ['/status/200'] });
    await eventually(() => xrayApi.call<{ TraceSummaries: unknown[] }>(tenant, '/TraceSummaries', lastHour()), (out) => out.TraceSummaries.length === 2);
    const graph = await xrayApi.call<{ Services: ServiceNode[]; StartTime: number; EndTime: number }>(tenant, '/ServiceGraph', lastHour());
    const host = new URL(target).host;
    expect(edgesOf(graph.Services)).toEqual(['client -> mapper', `mapper -> ${host}`]);
    const mapper = graph.Services.find((s) => s.Name === 'mapper')!;
    expect(mapper).toMatchObject({ Type: 'AWS::Lambda::Function', AccountId: tenant.accountId, SummaryStatistics: { OkCount: 2, TotalCount: 2 } });
    const remote = graph.Services.find((s) => s.Name === host)!;
    expect(remote.Type).toBe('remote');
    expect(mapper.Edges[0]).toMatchObject({
      ReferenceId: remote.ReferenceId,
      SummaryStatistics: { OkCount: 2, ErrorStatistics: { ThrottleCount: 0, OtherCount: 1, TotalCount: 1 }, FaultStatistics: { TotalCount: 0 }, TotalCount: 3 },
    });
  });
});

interface ServiceNode {
  ReferenceId: number;
  Name: string;
  Type: string;
  AccountId?: string;
  SummaryStatistics?: Record<string, unknown>;
  Edges: { ReferenceId: number; SummaryStatistics: Record<string, unknown> }[];
}

/** `from -> to` for every edge, sorted. */
function edgesOf(services: ServiceNode[]): string[] {
  const name = new Map(services.map((s) => [s.ReferenceId, s.Name]));
  return services.flatMap((s) => s.Edges.map((e) => `${s.Name} -> ${name.get(e.ReferenceId)}`)).sort();
}
