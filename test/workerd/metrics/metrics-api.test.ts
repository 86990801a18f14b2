// Metric values through the query API and the Prometheus exposition after a known sequence of
// successes, errors, throttles and an async failure: counts and sums exact, durations matching
// the REPORT lines, account-level series, validation errors, Basic auth and tenant isolation.
import { beforeAll, describe, expect, it } from 'vitest';
import { env, exports } from 'cloudflare:workers';
import { createTenant, deploy, ORIGIN, type Tenant } from '../support/signed-client';
import { eventually, metricTotal } from '../support/observe';
import { getResponse, lastHour } from '../support/metrics-client';
import { parseExposition } from '../support/prometheus-format';

const invoke = (tenant: Tenant, name: string, headers: Record<string, string> = {}) => tenant.send('POST', `/2015-03-31/functions/${name}/invocations`, {}, headers);

let tenant: Tenant;
let other: Tenant;
/** The REPORT lines of function `ok`: handler durations and init durations as printed. */
let okDurations: number[];
let okColdStarts: number;

beforeAll(async () => {
  tenant = await createTenant('metrics');
  other = await createTenant('metrics-other');
  await deploy(tenant, 'ok', 'exports.handler = async () => 1;');
  await deploy(tenant, 'bad', 'exports.handler = async () => { throw new Error("no"); };');
  await deploy(tenant, 'zero', 'exports.handler = async () => 1;');
  await deploy(other, 'theirs', 'exports.handler = async () => 1;');
  await tenant.send('PUT', '/2017-10-31/functions/zero/concurrency', { ReservedConcurrentExecutions: 0 });
  await tenant.send('PUT', '/2019-09-25/functions/bad/event-invoke-config', { MaximumRetryAttempts: 0 });
  for (let i = 0; i < 3; i++) expect((await invoke(tenant, 'ok')).status).toBe(200);
  for (let i = 0; i < 2; i++) expect((await invoke(tenant, 'bad')).headers.get('x-amz-function-error')).toBe('Unhandled');
  for (let i = 0; i < 2; i++) expect((await invoke(tenant, 'zero')).status).toBe(429);
  expect((await invoke(tenant, 'bad', { 'X-Amz-Invocation-Type': 'Event' })).status).toBe(202);
  expect((await invoke(other, 'theirs')).status).toBe(200);

  await eventually(() => metricTotal(tenant.accountId, 'bad', 'AsyncEventsDropped'), (n) => n === 1);
  await eventually(() => metricTotal(tenant.accountId, 'bad', 'Invocations'), (n) => n === 3);
  await eventually(() => metricTotal(tenant.accountId, 'ok', 'Invocations'), (n) => n === 3);
  await eventually(() => metricTotal(tenant.accountId, 'zero', 'Throttles'), (n) => n === 2);
  await eventually(() => metricTotal(other.accountId, 'theirs', 'Invocations'), (n) => n === 1);
  const logs = env.LOGS.get(env.LOGS.idFromName(tenant.accountId));
  const reports = (await eventually(() => logs.readEvents('/aws/lambda/ok'), (e) => e.filter((x) => x.message.startsWith('REPORT')).length === 3))
    .filter((e) => e.message.startsWith('REPORT')).map((e) => e.message);
  okDurations = reports.map((r) => Number(/\tDuration: ([\d.]+) ms/.exec(r)![1]));
  okColdStarts = reports.filter((r) => r.includes('Init Duration:')).length;
}, 60_000);

describe('the metric query API', () => {
  it('counts invocations, errors and throttles exactly, per function and for the account', async () => {
    expect(await lastHour(tenant, 'Invocations', 'ok', ['SampleCount', 'Sum'])).toMatchObject({ SampleCount: 3, Sum: 3, Unit: 'Count' });
    expect(await lastHour(tenant, 'Invocations', 'bad', ['Sum'])).toMatchObject({ Sum: 3 });
    expect(await lastHour(tenant, 'Invocations', 'zero', ['Sum'])).toBeUndefined();
    expect(await lastHour(tenant, 'Throttles', 'zero', ['Sum'])).toMatchObject({ Sum: 2 });
    expect(await lastHour(tenant, 'Errors', 'ok', ['SampleCount', 'Sum', 'Average'])).toMatchObject({ SampleCount: 3, Sum: 0, Average: 0 });
    expect(await lastHour(tenant, 'Errors', 'bad', ['Sum', 'Average'])).toMatchObject({ Sum: 3, Average: 1 });
    expect(await lastHour(tenant, 'Invocations', undefined, ['Sum'])).toMatchObject({ Sum: 6 });
    expect(await lastHour(tenant, 'Errors', undefined, ['Sum'])).toMatchObject({ Sum: 3 });
    expect(await lastHour(tenant, 'Throttles', undefined, ['Sum'])).toMatchObject({ Sum: 2 });
  });

  it('counts the async event: received, its age, and dropped with nowhere to go', async () => {
    expect(await lastHour(tenant, 'AsyncEventsReceived', 'bad', ['Sum'])).toMatchObject({ Sum: 1 });
    expect(await lastHour(tenant, 'AsyncEventsDropped', 'bad', ['Sum'])).toMatchObject({ Sum: 1 });
    const age = await lastHour(tenant, 'AsyncEventAge', 'bad', ['SampleCount', 'Minimum']);
    expect(age).toMatchObject({ SampleCount: 1, Unit: 'Milliseconds' });
    expect(age!.Minimum).toBeGreaterThanOrEqual(0);
  });

  it('reports durations that match the REPORT lines, with p50 and p99 between them', async () => {
    const d = await lastHour(tenant, 'Duration', 'ok', ['SampleCount', 'Sum', 'Minimum', 'Maximum', 'p50', 'p99']);
    expect(d).toMatchObject({ SampleCount: 3, Unit: 'Milliseconds' });
    expect(Math.abs(d!.Minimum! - Math.min(...okDurations))).toBeLessThanOrEqual(0.005);
    expect(Math.abs(d!.Maximum! - Math.max(...okDurations))).toBeLessThanOrEqual(0.005);
    expect(Math.abs(d!.Sum! - okDurations.reduce((a, b) => a + b, 0))).toBeLessThanOrEqual(0.015);
    for (const p of ['p50', 'p99']) {
      expect(d!.ExtendedStatistics![p]).toBeGreaterThanOrEqual(d!.Minimum!);
      expect(d!.ExtendedStatistics![p]).toBeLessThanOrEqual(d!.Maximum!);
    }
  });

  it('counts cold starts and their init durations as the REPORT lines show them', async () => {
    expect(okColdStarts).toBeGreaterThanOrEqual(1);
    expect(await lastHour(tenant, 'ColdStarts', 'ok', ['Sum', 'SampleCount'])).toMatchObject({ Sum: okColdStarts, SampleCount: 3 });
    expect(await lastHour(tenant, 'InitDuration', 'ok', ['SampleCount', 'p50'])).toMatchObject({ SampleCount: okColdStarts });
  });

  it('records concurrency per function and, without a FunctionName, for the account', async () => {
    const fn = await lastHour(tenant, 'ConcurrentExecutions', 'ok', ['SampleCount', 'Minimum']);
    expect(fn).toMatchObject({ SampleCount: 3 });
    expect(fn!.Minimum).toBeGreaterThanOrEqual(1);
    const account = await lastHour(tenant, 'ConcurrentExecutions', undefined, ['SampleCount', 'Minimum']);
    expect(account).toMatchObject({ SampleCount: 6 });
    expect(account!.Minimum).toBeGreaterThanOrEqual(1);
    expect(await lastHour(tenant, 'UnreservedConcurrentExecutions', undefined, ['SampleCount'])).toMatchObject({ SampleCount: 6 });
    expect(await lastHour(other, 'Invocations', undefined, ['Sum'])).toMatchObject({ Sum: 1 });
  });

  it('splits a range into datapoints of the Period, aligned to StartTime', async () => {
    const now = Math.floor(Date.now() / 60_000) * 60;
    const response = await getResponse(tenant, '/api/metrics/statistics', {
      MetricName: 'Invocations', FunctionName: 'ok', StartTime: new Date((now - 600) * 1000).toISOString(), EndTime: now + 60, Period: 60, Statistics: 'Sum,SampleCount',
    });
    const body = (await response.json()) as { Label: string; Datapoints: { Timestamp: string; Sum: number }[] };
    expect(body.Label).toBe('Invocations');
    expect(body.Datapoints.reduce((n, d) => n + d.Sum, 0)).toBe(3);
    for (const d of body.Datapoints) expect(Date.parse(d.Timestamp) % 60_000).toBe(0);
  });

  it('answers bad queries with AWS error shapes', async () => {
    const now = Math.floor(Date.now() / 1000);
    const base = { MetricName: 'Duration', StartTime: now - 600, EndTime: now, Period: 60, Statistics: 'Average' };
    const cases: [Record<string, string | number>, number, string][] = [
      [{ ...base, MetricName: '' }, 400, 'ValidationException'],
      [{ ...base, MetricName: 'CPU' }, 400, 'ValidationException'],
      [{ ...base, Period: 90 }, 400, 'ValidationException'],
      [{ ...base, Statistics: 'Median' }, 400, 'ValidationException'],
      [{ ...base, StartTime: 'yesterday' }, 400, 'ValidationException'],
      [{ ...base, FunctionName: 'bad name!' }, 400, 'ValidationException'],
      [{ ...base, MetricName: 'Invocations', Statistics: 'p99' }, 400, 'InvalidParameterCombinationException'],
      [{ ...base, MetricName: 'UnreservedConcurrentExecutions', FunctionName: 'ok' }, 400, 'InvalidParameterCombinationException'],
      [{ ...base, StartTime: now, EndTime: now - 600 }, 400, 'InvalidParameterCombinationException'],
      [{ ...base, StartTime: now - 20 * 86_400 }, 400, 'InvalidParameterCombinationException'],
      [{ ...base, StartTime: now - 5 * 86_400 }, 400, 'InvalidParameterCombinationException'],
    ];
    for (const [params, status, type] of cases) {
      const response = await getResponse(tenant, '/api/metrics/statistics', params);
      expect([JSON.stringify(params), response.status, response.headers.get('x-amzn-errortype')]).toEqual([JSON.stringify(params), status, type]);
      expect(((await response.json()) as { message: string }).message).toBeTruthy();
    }
    const unsigned = await exports.default.fetch(`${ORIGIN}/api/metrics/statistics?MetricName=Duration`);
    expect([unsigned.status, unsigned.headers.get('x-amzn-errortype')]).toEqual([403, 'MissingAuthenticationTokenException']);
  });
});

describe('the Prometheus exposition', () => {
  const basic = (keyId: string, secret: string) => ({ authorization: `Basic ${btoa(`${keyId}:${secret}`)}` });
  const scrape = (headers: Record<string, string>) => exports.default.fetch(new Request(`${ORIGIN}/api/metrics/prometheus`, { headers }));

  it('parses, with counters, summaries and gauges of the tenant\'s functions only', async () => {
    const response = await tenant.send('GET', '/api/metrics/prometheus');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const exposition = parseExposition(await response.text());
    expect(exposition.types.get('faasbox_invocations_total')).toBe('counter');
    expect(exposition.types.get('faasbox_duration_seconds')).toBe('summary');
    expect(exposition.types.get('faasbox_account_concurrent_executions')).toBe('gauge');
    expect(exposition.value('faasbox_invocations_total', { function: 'ok' })).toBe(3);
    expect(exposition.value('faasbox_invocations_total', { function: 'bad' })).toBe(3);
    expect(exposition.value('faasbox_invocations_total', { function: 'zero' })).toBe(0);
    expect(exposition.value('faasbox_throttles_total', { function: 'zero' })).toBe(2);
    expect(exposition.value('faasbox_errors_total', { function: 'bad' })).toBe(3);
    expect(exposition.value('faasbox_async_events_dropped_total', { function: 'bad' })).toBe(1);
    expect(exposition.value('faasbox_cold_starts_total', { function: 'ok' })).toBe(okColdStarts);
    expect(exposition.value('faasbox_duration_seconds_count', { function: 'ok' })).toBe(3);
    expect(exposition.value('faasbox_duration_seconds_sum', { function: 'ok' })).toBeCloseTo(okDurations.reduce((a, b) => a + b, 0) / 1000, 4);
    const p99 = exposition.value('faasbox_duration_seconds', { function: 'ok', quantile: '0.99' })!;
    expect(p99 * 1000).toBeGreaterThanOrEqual(Math.min(...okDurations) - 0.005);
    expect(p99 * 1000).toBeLessThanOrEqual(Math.max(...okDurations) + 0.005);
    expect(exposition.value('faasbox_account_concurrent_executions')).toBeGreaterThanOrEqual(1);
    expect(exposition.samples.some((s) => s.labels.function === 'theirs')).toBe(false);

    const theirs = parseExposition(await (await other.send('GET', '/api/metrics/prometheus')).text());
    expect(theirs.value('faasbox_invocations_total', { function: 'theirs' })).toBe(1);
    expect(new Set(theirs.samples.map((s) => s.labels.function).filter(Boolean))).toEqual(new Set(['theirs']));
  });

  it('takes HTTP Basic credentials (AccessKeyId:SecretAccessKey) on this route only', async () => {
    const response = await scrape(basic(tenant.accessKeyId, tenant.secretAccessKey));
    expect(response.status).toBe(200);
    expect(parseExposition(await response.text()).value('faasbox_invocations_total', { function: 'ok' })).toBe(3);
    for (const headers of [basic(tenant.accessKeyId, 'wrong'), basic('AKIANOSUCHKEY0000000', tenant.secretAccessKey), basic(tenant.accessKeyId, other.secretAccessKey), { authorization: 'Basic !!!' }]) {
      const refused = await scrape(headers);
      expect([refused.status, refused.headers.get('x-amzn-errortype')]).toEqual([403, 'UnrecognizedClientException']);
      expect(await refused.text()).not.toContain(tenant.secretAccessKey);
    }
    expect((await scrape({})).status).toBe(403);
    const elsewhere = await exports.default.fetch(new Request(`${ORIGIN}/api/metrics/statistics?MetricName=Invocations`, { headers: basic(tenant.accessKeyId, tenant.secretAccessKey) }));
    expect(elsewhere.status).not.toBe(200);
  });
});
