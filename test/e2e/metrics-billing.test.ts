// End to end on a real `wrangler dev` (wrangler.toml's real prices): invoke with
// @aws-sdk/client-lambda, then read the metrics query API and the billing statement with a SigV4
// client (aws4fetch), and scrape the Prometheus exposition with HTTP Basic auth as Prometheus does.
import { beforeAll, describe, expect, it } from 'vitest';
import { CreateFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { useDevServer } from './support/harness';
import { ROLE, zipOf } from './support/bundles';
import { parseExposition } from '../workerd/support/prometheus-format';

const server = useDevServer();
let lambda: LambdaClient;
const month = () => new Date().toISOString().slice(0, 7);

beforeAll(async () => {
  lambda = server.client(LambdaClient);
  await lambda.send(new CreateFunctionCommand({
    FunctionName: 'counted', Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', MemorySize: 256,
    Code: { ZipFile: zipOf({ 'index.js': 'exports.handler = async (e) => { if (e.fail) throw new Error("asked to"); return "ok"; };' }) },
  }));
  for (const fail of [false, false, true]) {
    await lambda.send(new InvokeCommand({ FunctionName: 'counted', Payload: new TextEncoder().encode(JSON.stringify({ fail })) }));
  }
  // Metrics and usage land after the responses.
  for (let i = 0; i < 100; i++) {
    const statement = await get<{ Account: { Requests: number } }>('/api/billing/statement', { Month: month() }).catch(() => undefined);
    if (statement?.Account.Requests === 3) break;
    await new Promise((r) => setTimeout(r, 100));
  }
});

async function get<T>(path: string, params: Record<string, string>): Promise<T> {
  const response = await server.signedFetch(`${path}?${new URLSearchParams(params)}`);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${path}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

describe('metrics and billing on wrangler dev', () => {
  it('answers the metric query API signed with SigV4', async () => {
    const now = Math.floor(Date.now() / 1000);
    const query = (metric: string, statistics: string) =>
      get<{ Label: string; Datapoints: Record<string, number>[] }>('/api/metrics/statistics', { MetricName: metric, FunctionName: 'counted', StartTime: String(now - 1800), EndTime: String(now + 300), Period: '3600', Statistics: statistics });
    expect((await query('Invocations', 'Sum')).Datapoints).toEqual([expect.objectContaining({ Sum: 3, Unit: 'Count' })]);
    expect((await query('Errors', 'Sum')).Datapoints).toEqual([expect.objectContaining({ Sum: 1 })]);
    const duration = (await query('Duration', 'SampleCount,Maximum,p50,p99')).Datapoints[0] as unknown as { SampleCount: number; ExtendedStatistics: Record<string, number>; Maximum: number };
    expect(duration.SampleCount).toBe(3);
    expect(duration.ExtendedStatistics.p99).toBeLessThanOrEqual(duration.Maximum);
  });

  it('states the month with Lambda\'s prices, all within the free tier', async () => {
    const statement = await get<{ Prices: Record<string, unknown>; Account: Record<string, unknown>; Functions: Record<string, unknown>[] }>('/api/billing/statement', { Month: month() });
    expect(statement.Prices).toMatchObject({ PricePerMillionRequests: '0.20', PricePerGBSecond: '0.0000166667', FreeTierRequests: 1_000_000, FreeTierGBSeconds: '400000', BilledDurationGranularityMs: 1 });
    expect(statement.Account).toMatchObject({ Requests: 3, FreeTierRequestsUsed: 3, BillableRequests: 0, Cost: 0 });
    expect(statement.Functions).toEqual([expect.objectContaining({ FunctionName: 'counted', Requests: 3 })]);
    const { Invocations } = await get<{ Invocations: { MemorySizeMB: number; BilledDurationMs: number; ListCost: string }[] }>('/api/billing/invocations', { Month: month(), FunctionName: 'counted' });
    expect(Invocations).toHaveLength(3);
    for (const r of Invocations) {
      expect(r.MemorySizeMB).toBe(256);
      expect(Number(r.ListCost)).toBeCloseTo(0.0000002 + (256 / 1024) * (r.BilledDurationMs / 1000) * 0.0000166667, 15);
    }
  });

  it('serves the Prometheus exposition to a scraper with Basic credentials, and refuses wrong ones', async () => {
    const basic = (secret: string) => ({ authorization: `Basic ${Buffer.from(`${server.accessKeyId}:${secret}`).toString('base64')}` });
    const response = await fetch(`${server.endpoint}/api/metrics/prometheus`, { headers: basic(server.secretAccessKey) });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const exposition = parseExposition(await response.text());
    expect(exposition.value('faasbox_invocations_total', { function: 'counted' })).toBe(3);
    expect(exposition.value('faasbox_errors_total', { function: 'counted' })).toBe(1);
    expect(exposition.value('faasbox_duration_seconds_count', { function: 'counted' })).toBe(3);
    const refused = await fetch(`${server.endpoint}/api/metrics/prometheus`, { headers: basic('not-the-secret') });
    expect(refused.status).toBe(403);
    expect(server.output()).not.toContain(server.secretAccessKey);
  });
});
