// Rules firing into functions: through the Worker's scheduled handler (the cron trigger) and
// through the ScheduleStore's alarm, as async invocations with the exact Scheduled Event shape.
// Missed fire times fire once; disabled rules do not fire. "Later" is a scheduled handler run
// with a future scheduledTime, and an outage is a rule whose times lie in the past.
import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { createScheduledController, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import worker from '../../../src/index';
import { createTenant, deploy, type Tenant } from '../support/signed-client';
import { eventsApi } from '../support/aws-json-client';
import { eventually, metricTotal } from '../support/observe';

const MINUTE_MS = 60_000;
/** Logs the event it receives as one JSON line. */
const RECORDER = 'exports.handler = async (event) => { console.log("EVENT " + JSON.stringify(event)); };';

const store = (accountId: string) => env.SCHEDULES.get(env.SCHEDULES.idFromName(accountId));

/** Runs the Worker's scheduled handler as the cron trigger would at `scheduledTime`. */
async function cronTick(scheduledTime: number): Promise<void> {
  await worker.scheduled(createScheduledController({ scheduledTime, cron: '* * * * *' }), env);
}

async function scheduleFunction(tenant: Tenant, rule: string, fn: string, expression: string, target: Record<string, unknown> = {}): Promise<number> {
  await deploy(tenant, fn, RECORDER);
  await eventsApi.call(tenant, 'PutRule', { Name: rule, ScheduleExpression: expression });
  await eventsApi.call(tenant, 'PutTargets', { Rule: rule, Targets: [{ Id: 'target', Arn: `arn:aws:lambda:us-east-1:${tenant.accountId}:function:${fn}`, ...target }] });
  const next = (await store(tenant.accountId).getRule(rule))?.nextFireMs;
  if (next === undefined) throw new Error('the rule has no next fire time');
  return next;
}

/** The events a function logged with RECORDER, once there are `count` of them. */
async function receivedEvents(tenant: Tenant, fn: string, count: number): Promise<unknown[]> {
  const logs = env.LOGS.get(env.LOGS.idFromName(tenant.accountId));
  const lines = await eventually(
    async () => (await logs.readEvents(`/aws/lambda/${fn}`)).map((e) => e.message).filter((m) => m.includes('\tINFO\tEVENT ')),
    (found) => found.length >= count,
  );
  return lines.map((line) => JSON.parse(line.slice(line.indexOf('EVENT ') + 'EVENT '.length)) as unknown);
}

const isoSeconds = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

describe('a schedule firing', () => {
  it('invokes its function asynchronously with the Scheduled Event, through the cron trigger', async () => {
    const tenant = await createTenant();
    // rate(5 minutes) cannot come due by itself while the test runs.
    const due = await scheduleFunction(tenant, 'every-5', 'recorder', 'rate(5 minutes)');
    await cronTick(due + 1000);
    const [event] = (await receivedEvents(tenant, 'recorder', 1)) as Record<string, unknown>[];
    expect(event).toEqual({
      version: '0',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: tenant.accountId,
      time: isoSeconds(due),
      region: 'us-east-1',
      resources: [`arn:aws:events:us-east-1:${tenant.accountId}:rule/every-5`],
      detail: {},
    });
    expect(event.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00Z$/);
    // It went through the async path: counted as an async event, then invoked.
    expect(await metricTotal(tenant.accountId, 'recorder', 'AsyncEventsReceived')).toBe(1);
    expect((await store(tenant.accountId).getRule('every-5'))?.nextFireMs).toBe(due + 5 * MINUTE_MS);
  });

  it('sends the target\'s Input instead of the event when it has one', async () => {
    const tenant = await createTenant();
    const due = await scheduleFunction(tenant, 'with-input', 'recorder', 'cron(0 3 * * ? *)', { Input: '{"job":"nightly-report","n":1}' });
    expect(isoSeconds(due)).toMatch(/T03:00:00Z$/);
    await cronTick(due);
    expect(await receivedEvents(tenant, 'recorder', 1)).toEqual([{ job: 'nightly-report', n: 1 }]);
  });

  it('fires once, for the latest missed time, after the platform was down over several, then keeps its schedule', async () => {
    const tenant = await createTenant();
    const due = await scheduleFunction(tenant, 'missed', 'recorder', 'rate(5 minutes)');
    // Nobody ran the schedule for 17 minutes: times due, +5, +10 and +15 were all missed.
    await cronTick(due + 17 * MINUTE_MS);
    // The next regular tick, at +20.
    await cronTick(due + 20 * MINUTE_MS + 500);
    const received = (await receivedEvents(tenant, 'recorder', 2)) as { time: string }[];
    expect(received.map((e) => e.time).sort()).toEqual([isoSeconds(due + 15 * MINUTE_MS), isoSeconds(due + 20 * MINUTE_MS)]);
    expect(await metricTotal(tenant.accountId, 'recorder', 'AsyncEventsReceived')).toBe(2);
  });

  it('fires from the ScheduleStore\'s own alarm, once, when its times passed while it was down', async () => {
    const tenant = await createTenant();
    const due = await scheduleFunction(tenant, 'by-alarm', 'recorder', 'rate(5 minutes)');
    const stub = store(tenant.accountId);
    // As if the rule had been put 15 minutes earlier and nothing ran since.
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec('UPDATE rules SET anchor_ms = anchor_ms - ?, next_fire_ms = ?', 15 * MINUTE_MS, due - 15 * MINUTE_MS);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const [event] = (await receivedEvents(tenant, 'recorder', 1)) as { time: string }[];
    expect(event.time).toBe(isoSeconds(due - 5 * MINUTE_MS));
    expect((await stub.getRule('by-alarm'))?.nextFireMs).toBe(due);
    expect(await metricTotal(tenant.accountId, 'recorder', 'AsyncEventsReceived')).toBe(1);
  });

  it('applies the async retry rules: a failing scheduled invocation is retried', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'flaky', 'exports.handler = async () => { throw new Error("scheduled failure"); };');
    await tenant.send('PUT', '/2019-09-25/functions/flaky/event-invoke-config', { MaximumRetryAttempts: 1 });
    await eventsApi.call(tenant, 'PutRule', { Name: 'r', ScheduleExpression: 'rate(5 minutes)' });
    await eventsApi.call(tenant, 'PutTargets', { Rule: 'r', Targets: [{ Id: 't', Arn: `arn:aws:lambda:us-east-1:${tenant.accountId}:function:flaky` }] });
    const due = (await store(tenant.accountId).getRule('r'))!.nextFireMs!;
    await cronTick(due);
    await eventually(() => metricTotal(tenant.accountId, 'flaky', 'AsyncEventsDropped'), (n) => n === 1);
    expect(await metricTotal(tenant.accountId, 'flaky', 'Invocations')).toBe(2);
  });

  it('does not fire a disabled rule, and does not catch up on the time it was disabled', async () => {
    const tenant = await createTenant();
    const disabledDue = await scheduleFunction(tenant, 'off', 'silent', 'rate(5 minutes)');
    await eventsApi.call(tenant, 'DisableRule', { Name: 'off' });
    expect((await store(tenant.accountId).getRule('off'))?.nextFireMs).toBeUndefined();
    // A rule of the same account that does fire: once it has, the tick has been handled.
    const markerDue = await scheduleFunction(tenant, 'marker', 'marker', 'rate(5 minutes)');
    await cronTick(Math.max(disabledDue, markerDue) + 12 * MINUTE_MS);
    await receivedEvents(tenant, 'marker', 1);
    expect(await metricTotal(tenant.accountId, 'silent', 'AsyncEventsReceived')).toBe(0);

    // Enabled again, it counts from now on.
    await eventsApi.call(tenant, 'EnableRule', { Name: 'off' });
    const next = (await store(tenant.accountId).getRule('off'))!.nextFireMs!;
    expect(next).toBeGreaterThan(Date.now());
    await cronTick(next);
    expect(((await receivedEvents(tenant, 'silent', 1)) as { time: string }[])[0].time).toBe(isoSeconds(next));
  });

  it('fires one tenant\'s rules into that tenant\'s functions only', async () => {
    const a = await createTenant('a');
    const b = await createTenant('b');
    const dueA = await scheduleFunction(a, 'same', 'recorder', 'rate(5 minutes)');
    await deploy(b, 'recorder', RECORDER);
    await eventsApi.call(b, 'PutRule', { Name: 'same', ScheduleExpression: 'rate(5 minutes)', State: 'DISABLED' });
    await cronTick(dueA + 1000);
    const [event] = (await receivedEvents(a, 'recorder', 1)) as { account: string }[];
    expect(event.account).toBe(a.accountId);
    expect(await metricTotal(b.accountId, 'recorder', 'AsyncEventsReceived')).toBe(0);
  });

  it('drops a firing whose function no longer exists, and goes on', async () => {
    const tenant = await createTenant();
    const due = await scheduleFunction(tenant, 'orphan', 'gone', 'rate(5 minutes)');
    expect((await tenant.send('DELETE', '/2015-03-31/functions/gone')).status).toBe(204);
    await cronTick(due);
    const stub = store(tenant.accountId);
    expect((await stub.getRule('orphan'))?.nextFireMs).toBe(due + 5 * MINUTE_MS);
    const outbox = await runInDurableObject(stub, (_instance, state) => state.storage.sql.exec('SELECT COUNT(*) AS n FROM outbox').one().n);
    expect(outbox).toBe(0);
  });
});

describe('a schedule targeting an alias', () => {
  it('invokes the version the alias points to at each firing', async () => {
    const tenant = await createTenant();
    const versioned = (tag: string) => `exports.handler = async (event) => { console.log("EVENT " + JSON.stringify({ tag: "${tag}", version: process.env.AWS_LAMBDA_FUNCTION_VERSION })); };`;
    await deploy(tenant, 'worker', versioned('one'));
    expect((await tenant.send('POST', '/2015-03-31/functions/worker/versions', {})).status).toBe(201);
    const { zipBase64 } = await import('../support/zip');
    expect((await tenant.send('PUT', '/2015-03-31/functions/worker/code', { ZipFile: zipBase64({ 'index.js': versioned('two') }) })).status).toBe(200);
    expect((await tenant.send('POST', '/2015-03-31/functions/worker/aliases', { Name: 'live', FunctionVersion: '1' })).status).toBe(201);

    await eventsApi.call(tenant, 'PutRule', { Name: 'nightly', ScheduleExpression: 'rate(5 minutes)' });
    const put = await eventsApi.call<{ FailedEntryCount: number }>(tenant, 'PutTargets', {
      Rule: 'nightly', Targets: [{ Id: 'live', Arn: `arn:aws:lambda:us-east-1:${tenant.accountId}:function:worker:live` }],
    });
    expect(put.FailedEntryCount).toBe(0);
    const due = (await store(tenant.accountId).getRule('nightly'))!.nextFireMs!;
    await cronTick(due + 1000);
    expect(await receivedEvents(tenant, 'worker', 1)).toEqual([{ tag: 'one', version: '1' }]);

    const bad = await eventsApi.call<{ FailedEntryCount: number }>(tenant, 'PutTargets', {
      Rule: 'nightly', Targets: [{ Id: 'bad', Arn: `arn:aws:lambda:us-east-1:${tenant.accountId}:function:worker:not valid` }],
    });
    expect(bad.FailedEntryCount).toBe(1);
  });
});
