// Runs in the workerd-100ms project (vitest.config.ts): FAASBOX_BILLED_DURATION_GRANULARITY_MS
// "100" restores Lambda's pre-2020 rounding of billed duration up to the next 100 ms.
import { describe, expect, it } from 'vitest';
import { createTenant, deploy } from '../support/signed-client';
import { reportLines } from '../support/observe';
import { getJson } from '../support/metrics-client';

describe('billed duration with 100 ms granularity', () => {
  it('rounds handler + init time up to the next 100 ms in the REPORT line and the usage record', async () => {
    const tenant = await createTenant('billing-100ms');
    await deploy(tenant, 'quick', 'exports.handler = async () => 1;');
    const slowerWaitMs = 120;
    await deploy(tenant, 'slower', `exports.handler = () => new Promise((r) => setTimeout(() => r(1), ${slowerWaitMs}));`, { MemorySize: 256 });
    for (const name of ['quick', 'quick', 'slower']) expect((await tenant.send('POST', `/2015-03-31/functions/${name}/invocations`, {})).status).toBe(200);
    const reports = [...await reportLines(tenant.accountId, 'quick', 2), ...await reportLines(tenant.accountId, 'slower', 1)];
    for (const r of reports) {
      const used = r.durationMs + (r.initDurationMs ?? 0);
      expect(r.billedDurationMs % 100).toBe(0);
      expect(r.billedDurationMs).toBeGreaterThanOrEqual(Math.max(100, used - 0.01));
      expect(r.billedDurationMs).toBeLessThan(used + 100.01);
    }
    // Every call is billed at least one unit, however short (the loop above: a multiple of 100,
    // at least 100, less than 100 above the time used); a handler that waits 120 ms, two units.
    expect(reports[2].billedDurationMs).toBeGreaterThanOrEqual(Math.ceil(slowerWaitMs / 100) * 100);

    const month = new Date().toISOString().slice(0, 7);
    let records: { RequestId: string; BilledDurationMs: number; GBSeconds: string }[] = [];
    for (let i = 0; i < 100 && records.length < 3; i++) {
      records = (await getJson<{ Invocations: typeof records }>(tenant, '/api/billing/invocations', { Month: month })).Invocations;
      await new Promise((r) => setTimeout(r, 50));
    }
    for (const r of reports) expect(records.find((x) => x.RequestId === r.requestId)?.BilledDurationMs).toBe(r.billedDurationMs);
    const statement = await getJson<{ Prices: { BilledDurationGranularityMs: number } }>(tenant, '/api/billing/statement', { Month: month });
    expect(statement.Prices.BilledDurationGranularityMs).toBe(100);
  });
});
