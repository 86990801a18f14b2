// Billing of a known sequence, checked against a hand calculation from the REPORT lines' Billed
// Duration and Memory Size, with the test prices of vitest.config.ts ($0.05 a request, $3.50 a
// GB-second, 2 requests and 0.02 GB-seconds free; the statement's Prices confirm them): exact
// figures and the total to the cent.
import { beforeAll, describe, expect, it } from 'vitest';
import { createTenant, deploy, type Tenant } from '../support/signed-client';
import { reportLines, type ReportLine } from '../support/observe';
import { getJson, getResponse } from '../support/metrics-client';

/** Money in units of 10^-15 USD: every figure of these prices is a whole number of them. */
const UNIT = 10n ** 15n;
const REQUEST_PRICE = 50_000n * UNIT / 1_000_000n;          // $0.05 a request
const PRICE_PER_MB_MS = 3_500_000_000_000_000n / 1_024_000n; // $3.50 a GB-second, per MB-ms: exact
const FREE_REQUESTS = 2n;
const FREE_MB_MS = 20_480n;                                   // 0.02 GB-s x 1,024,000 MB-ms
const exact = (units: bigint) => { const f = (units % UNIT).toString().padStart(15, '0').replace(/0+$/, ''); return f ? `${units / UNIT}.${f}` : `${units / UNIT}`; };
const cents = (units: bigint) => Number((units + UNIT / 200n) / (UNIT / 100n)) / 100;
const units = (decimal: string) => { const [w, f = ''] = decimal.split('.'); expect(f.length).toBeLessThanOrEqual(15); return BigInt(w) * UNIT + BigInt(f.padEnd(15, '0')); };

interface Line { Requests: number; FreeTierRequestsUsed: number; BillableRequests: number; Cost: number; GBSeconds: number; Exact: Record<string, string> }
interface Statement { Month: string; Prices: Record<string, unknown>; Account: Line; Functions: (Line & { FunctionName: string })[] }
interface UsageRecord { RequestId: string; FunctionName: string; BilledDurationMs: number; MemorySizeMB: number; GBSeconds: string; FreeTierRequest: boolean; FreeTierGBSeconds: string; ListCost: string; Cost: string }

const month = () => new Date().toISOString().slice(0, 7);
const invoke = (tenant: Tenant, name: string) => tenant.send('POST', `/2015-03-31/functions/${name}/invocations`, {});

let tenant: Tenant;
let reports: ReportLine[];
/** How long the `big` handler waits before it answers, in milliseconds. */
const BIG_WAIT_MS = 30;

beforeAll(async () => {
  tenant = await createTenant('billing');
  await deploy(tenant, 'big', `exports.handler = () => new Promise((r) => setTimeout(() => r(1), ${BIG_WAIT_MS}));`, { MemorySize: 1024 });
  await deploy(tenant, 'small', 'exports.handler = async () => 1;');
  await deploy(tenant, 'bad', 'exports.handler = async () => { throw new Error("billed anyway"); };', { MemorySize: 512 });
  for (const name of ['big', 'small', 'big', 'bad', 'big', 'small']) expect((await invoke(tenant, name)).status).toBe(200);
  reports = [...await reportLines(tenant.accountId, 'big', 3), ...await reportLines(tenant.accountId, 'small', 2), ...await reportLines(tenant.accountId, 'bad', 1)];
  // The usage records land after the responses too.
  for (let i = 0; i < 100; i++) {
    if ((await statement(tenant)).Account.Requests === 6) break;
    await new Promise((r) => setTimeout(r, 50));
  }
}, 60_000);

const statement = (t: Tenant, extra: Record<string, string> = {}) => getJson<Statement>(t, '/api/billing/statement', { Month: month(), ...extra });

describe('the billed duration', () => {
  it('is handler + init time rounded up to the next millisecond, and the REPORT line shows it', () => {
    for (const r of reports) {
      const used = r.durationMs + (r.initDurationMs ?? 0);
      expect(Number.isInteger(r.billedDurationMs)).toBe(true);
      // The printed figures are rounded to 0.01 ms.
      expect(r.billedDurationMs).toBeGreaterThanOrEqual(Math.max(1, used - 0.01));
      expect(r.billedDurationMs).toBeLessThan(used + 1.01);
    }
    // A handler that waits is billed at least its wait.
    expect(reports.filter((r) => r.memorySizeMb === 1024).every((r) => r.billedDurationMs >= BIG_WAIT_MS)).toBe(true);
  });
});

describe('the monthly statement', () => {
  it('matches a hand calculation from the REPORT lines, exactly and to the cent', async () => {
    const mbMs = reports.reduce((n, r) => n + BigInt(r.memorySizeMb) * BigInt(r.billedDurationMs), 0n);
    expect(mbMs).toBeGreaterThan(FREE_MB_MS);
    const requestCost = (6n - FREE_REQUESTS) * REQUEST_PRICE;
    const durationCost = (mbMs - FREE_MB_MS) * PRICE_PER_MB_MS;
    const { Account, Prices, Month } = await statement(tenant);
    expect(Month).toBe(month());
    expect(Prices).toMatchObject({ Currency: 'USD', PricePerMillionRequests: '50000', PricePerGBSecond: '3.5', FreeTierRequests: 2, FreeTierGBSeconds: '0.02', BilledDurationGranularityMs: 1 });
    expect(Account).toMatchObject({ Requests: 6, FreeTierRequestsUsed: 2, BillableRequests: 4, FreeTierGBSecondsUsed: 0.02 });
    expect(Account.Exact).toEqual({
      GBSeconds: exact(mbMs * UNIT / 1_024_000n),
      FreeTierGBSecondsUsed: '0.02',
      BillableGBSeconds: exact((mbMs - FREE_MB_MS) * UNIT / 1_024_000n),
      RequestCost: exact(requestCost),
      DurationCost: exact(durationCost),
      Cost: exact(requestCost + durationCost),
    });
    expect(Account.Cost).toBe(cents(requestCost + durationCost));
    expect(Account.Cost).toBeGreaterThanOrEqual(0.2);
  });

  it('splits the account into functions, the free tier going to the invocations recorded first', async () => {
    const { Account, Functions } = await statement(tenant);
    expect(Functions.map((f) => [f.FunctionName, f.Requests])).toEqual([['bad', 1], ['big', 3], ['small', 2]]);
    expect(Functions.reduce((n, f) => n + units(f.Exact.Cost), 0n)).toBe(units(Account.Exact.Cost));
    expect(Functions.reduce((n, f) => n + f.FreeTierRequestsUsed, 0)).toBe(2);

    const { Invocations } = await getJson<{ Invocations: UsageRecord[] }>(tenant, '/api/billing/invocations', { Month: month() });
    let freeRequests = FREE_REQUESTS;
    let freeMbMs = FREE_MB_MS;
    const byFunction = new Map<string, bigint>();
    for (const record of Invocations) {
      const report = reports.find((r) => r.requestId === record.RequestId)!;
      const mbMs = BigInt(report.memorySizeMb) * BigInt(report.billedDurationMs);
      const freeRequest = freeRequests > 0n;
      const free = mbMs < freeMbMs ? mbMs : freeMbMs;
      if (freeRequest) freeRequests--;
      freeMbMs -= free;
      const cost = (freeRequest ? 0n : REQUEST_PRICE) + (mbMs - free) * PRICE_PER_MB_MS;
      expect(record).toMatchObject({
        BilledDurationMs: report.billedDurationMs, MemorySizeMB: report.memorySizeMb, GBSeconds: exact(mbMs * UNIT / 1_024_000n),
        FreeTierRequest: freeRequest, FreeTierGBSeconds: exact(free * UNIT / 1_024_000n), ListCost: exact(REQUEST_PRICE + mbMs * PRICE_PER_MB_MS), Cost: exact(cost),
      });
      byFunction.set(record.FunctionName, (byFunction.get(record.FunctionName) ?? 0n) + cost);
    }
    expect(Invocations).toHaveLength(6);
    for (const f of Functions) {
      expect(f.Exact.Cost).toBe(exact(byFunction.get(f.FunctionName)!));
      expect(f.Cost).toBe(cents(byFunction.get(f.FunctionName)!));
    }
  });

  it('narrows to one function with FunctionName, and shows zeros for a function without usage', async () => {
    const one = await statement(tenant, { FunctionName: 'big' });
    expect(one.Functions.map((f) => f.FunctionName)).toEqual(['big']);
    expect(one.Account.Requests).toBe(6);
    const none = await statement(tenant, { FunctionName: 'never-ran' });
    expect(none.Functions).toEqual([expect.objectContaining({ FunctionName: 'never-ran', Requests: 0, Cost: 0 })]);
  });

  it('applies the free tier: the first request and GB-seconds of a tenant cost nothing', async () => {
    const light = await createTenant('billing-light');
    await deploy(light, 'tiny', 'exports.handler = async () => 1;');
    await invoke(light, 'tiny');
    let account: Line | undefined;
    for (let i = 0; i < 100 && account?.Requests !== 1; i++) {
      account = (await statement(light)).Account;
      await new Promise((r) => setTimeout(r, 50));
    }
    const [report] = await reportLines(light.accountId, 'tiny', 1);
    // Within the free tier's 0.02 GB-s (160 ms at 128 MB) it costs nothing; a slower machine pays
    // only for what went past it, so the hand calculation holds on any machine.
    const mbMs = BigInt(128 * report.billedDurationMs);
    const free = mbMs < FREE_MB_MS ? mbMs : FREE_MB_MS;
    const cost = (mbMs - free) * PRICE_PER_MB_MS;
    expect(account).toMatchObject({ Requests: 1, FreeTierRequestsUsed: 1, BillableRequests: 0, Cost: cents(cost) });
    expect(account!.Exact).toMatchObject({ Cost: exact(cost), FreeTierGBSecondsUsed: exact(free * UNIT / 1_024_000n) });
    // Tenants never see each other's usage.
    expect((await statement(light)).Functions.map((f) => f.FunctionName)).toEqual(['tiny']);
  });
});

describe('per-invocation usage records', () => {
  it('are found by RequestId and paged by Marker', async () => {
    const [report] = reports;
    const byId = await getJson<{ Invocations: UsageRecord[] }>(tenant, '/api/billing/invocations', { RequestId: report.requestId });
    expect(byId.Invocations).toEqual([expect.objectContaining({ RequestId: report.requestId, BilledDurationMs: report.billedDurationMs })]);
    const first = await getJson<{ Invocations: UsageRecord[]; NextMarker?: string }>(tenant, '/api/billing/invocations', { Month: month(), MaxItems: 4 });
    expect(first.Invocations).toHaveLength(4);
    const rest = await getJson<{ Invocations: UsageRecord[]; NextMarker?: string }>(tenant, '/api/billing/invocations', { Month: month(), MaxItems: 4, Marker: first.NextMarker! });
    expect(rest.Invocations).toHaveLength(2);
    expect(rest.NextMarker).toBeUndefined();
    const big = await getJson<{ Invocations: UsageRecord[] }>(tenant, '/api/billing/invocations', { Month: month(), FunctionName: 'big' });
    expect(big.Invocations.map((r) => r.FunctionName)).toEqual(['big', 'big', 'big']);
  });

  it('answer bad parameters with ValidationException', async () => {
    for (const [path, params] of [
      ['/api/billing/statement', {}], ['/api/billing/statement', { Month: '2026-13' }], ['/api/billing/statement', { Month: month(), FunctionName: 'a:b:c:d:e' }],
      ['/api/billing/invocations', {}], ['/api/billing/invocations', { Month: month(), Marker: 'x' }], ['/api/billing/invocations', { Month: month(), MaxItems: 0 }],
    ] as const) {
      const response = await getResponse(tenant, path, params);
      expect([path, JSON.stringify(params), response.status, response.headers.get('x-amzn-errortype')]).toEqual([path, JSON.stringify(params), 400, 'ValidationException']);
    }
  });
});
