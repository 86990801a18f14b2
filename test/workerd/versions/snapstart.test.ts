// SnapStart through the Lambda API inside workerd: ApplyOn PublishedVersions shows OptimizationStatus
// On for published versions (Off for $LATEST), a published version's later cold starts restore the
// snapshot of its first one (REPORT with Restore Duration, no Init Duration), $LATEST's never do.
import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { createTenant, deploy, type Tenant } from '../support/signed-client';
import { eventually } from '../support/observe';

const F = '/2015-03-31/functions';

const SOURCE = `
const initRandom = Math.random();
let calls = 0;
exports.handler = async (event) => {
  await new Promise((resolve) => setTimeout(resolve, event.waitMs ?? 0));
  return { calls: ++calls, initRandom, random: Math.random(), initType: process.env.AWS_LAMBDA_INITIALIZATION_TYPE };
};`;

interface Seen { calls: number; initRandom: number; random: number; initType: string }

async function invoke(tenant: Tenant, path: string, event: unknown): Promise<Seen> {
  const response = await tenant.send('POST', `${F}/${path}/invocations`, event);
  expect(response.status).toBe(200);
  return (await response.json()) as Seen;
}

describe('SnapStart', () => {
  it('is On for published versions of ApplyOn PublishedVersions and Off for $LATEST', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'snap', SOURCE, { SnapStart: { ApplyOn: 'PublishedVersions' } });
    const published = await tenant.send('POST', `${F}/snap/versions`, {});
    expect(published.status).toBe(201);
    expect(((await published.json()) as { SnapStart: unknown }).SnapStart).toEqual({ ApplyOn: 'PublishedVersions', OptimizationStatus: 'On' });
    const latest = (await (await tenant.send('GET', `${F}/snap/configuration`)).json()) as { SnapStart: unknown };
    expect(latest.SnapStart).toEqual({ ApplyOn: 'PublishedVersions', OptimizationStatus: 'Off' });
    const version = (await (await tenant.send('GET', `${F}/snap/configuration?Qualifier=1`)).json()) as { SnapStart: unknown };
    expect(version.SnapStart).toEqual({ ApplyOn: 'PublishedVersions', OptimizationStatus: 'On' });
    const got = (await (await tenant.send('GET', `${F}/snap?Qualifier=1`)).json()) as { Configuration: { SnapStart: unknown } };
    expect(got.Configuration.SnapStart).toEqual({ ApplyOn: 'PublishedVersions', OptimizationStatus: 'On' });
  });

  it('restores a published version\'s later cold starts from its first one\'s snapshot; $LATEST runs init each time', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'snaprun', SOURCE, { SnapStart: { ApplyOn: 'PublishedVersions' } });
    expect((await tenant.send('POST', `${F}/snaprun/versions`, {})).status).toBe(201);
    const first = await invoke(tenant, 'snaprun:1', {});
    // The first environment busy, so the second call is a cold start of its own.
    const [warm, restored] = await Promise.all([invoke(tenant, 'snaprun:1', { waitMs: 300 }), invoke(tenant, 'snaprun:1', { waitMs: 50 })]);
    const calls = [warm.calls, restored.calls].sort();
    expect(calls).toEqual([1, 2]);
    const fresh = warm.calls === 1 ? warm : restored;
    expect(fresh.initRandom).toBe(first.initRandom); // init ran once: its state came with the snapshot
    expect(fresh.random).not.toBe(first.random);
    expect([first.initType, fresh.initType]).toEqual(['snap-start', 'snap-start']);
    const onLatest = await Promise.all([invoke(tenant, 'snaprun', { waitMs: 300 }), invoke(tenant, 'snaprun', { waitMs: 50 })]);
    expect(onLatest.map((seen) => seen.initType)).toEqual(['on-demand', 'on-demand']);

    const logs = env.LOGS.get(env.LOGS.idFromName(tenant.accountId));
    const events = await eventually(() => logs.readEvents('/aws/lambda/snaprun'), (e) => e.filter((x) => x.message.startsWith('REPORT')).length === 5);
    const reports = events.filter((e) => e.message.startsWith('REPORT'));
    const ofVersion = (v: string) => reports.filter((e) => e.logStreamName.includes(`[${v}]`)).map((e) => e.message);
    const v1 = ofVersion('1');
    expect(v1.filter((line) => line.includes('Init Duration:'))).toHaveLength(1);
    const restoredLines = v1.filter((line) => line.includes('Restore Duration:'));
    expect(restoredLines).toHaveLength(1);
    expect(restoredLines[0]).toMatch(/\tMax Memory Used: \d+ MB\tRestore Duration: \d+\.\d{2} ms\tBilled Restore Duration: \d+ ms\t$/);
    expect(restoredLines[0]).not.toContain('Init Duration');
    const latest = ofVersion('$LATEST');
    expect(latest.filter((line) => line.includes('Init Duration:'))).toHaveLength(2);
    expect(latest.some((line) => line.includes('Restore Duration'))).toBe(false);
  });
});
