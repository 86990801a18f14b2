// deleteAll on every per-account object leaves no row in any of its tables and no alarm (the
// schema version table stays), and AccountDirectory.deleteAccount leaves no row about the account.
import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { runInDurableObject } from 'cloudflare:test';
import type { NewFunctionRecord } from '../../../src/records/function';
import { ownTables, rowCounts } from './tables';

const ACCOUNT_ID = '123456789012';
const stub = <T extends Rpc.DurableObjectBranded>(namespace: DurableObjectNamespace<T>) => namespace.get(namespace.idFromName(`delete-all/${ACCOUNT_ID}`));
const alarmOf = (target: DurableObjectStub) => runInDurableObject(target, (_instance, state) => state.storage.getAlarm());

/** Asserts the object had a row in every table before deleteAll, and none after. */
async function expectEmptiedBy(target: DurableObjectStub, deleteAll: () => Promise<unknown>): Promise<void> {
  const before = await rowCounts(target);
  expect(Object.entries(before).filter(([, n]) => n === 0).map(([table]) => table), 'tables the test did not fill').toEqual([]);
  await deleteAll();
  const after = await rowCounts(target);
  expect(after).toEqual(Object.fromEntries(Object.keys(before).map((table) => [table, 0])));
  expect(await alarmOf(target)).toBeNull();
}

const fn: NewFunctionRecord = {
  name: 'f', runtime: 'nodejs22.x', handler: 'index.handler', role: `arn:aws:iam::${ACCOUNT_ID}:role/r`, description: '',
  timeoutSeconds: 3, memorySizeMb: 128, environment: {}, tracingMode: 'PassThrough', codeSha256: 'sha', codeSize: 10,
  codeKey: `code/${ACCOUNT_ID}/f/sha.zip`, revisionId: 'r1', lastModified: '2026-01-01T00:00:00.000+0000',
};

describe('deleteAll', () => {
  it('FunctionRegistry: functions, versions, aliases, URLs, policies, test events and layers; answers the code keys', async () => {
    const registry = stub(env.FUNCTIONS);
    await registry.create(fn);
    await registry.publishVersion('f', {});
    await registry.createAlias('f', { name: 'live', functionVersion: '1', description: '', revisionId: 'a1' });
    await registry.createFunctionUrl({ urlId: 'u'.repeat(32), functionName: 'f', qualifier: '', authType: 'NONE', invokeMode: 'BUFFERED', creationTime: 't', lastModifiedTime: 't' });
    await registry.addPermission('f', '', { Sid: 's', Effect: 'Allow', Principal: '*', Action: 'lambda:InvokeFunctionUrl', Resource: 'r' });
    expect((await registry.putTestEvent('f', 'saved', '{}')).ok).toBe(true);
    // Layers: their zips go by prefix with the account (services/accounts.ts), not as answered keys.
    await registry.publishLayerVersion({ layerName: 'l', description: '', createdDate: 't', codeKey: 'layers/a/l/x.zip', codeSha256: 'x', codeSize: 1, unzippedBytes: 1 });
    expect((await registry.addLayerPermission('l', 1, { Sid: 's', Effect: 'Allow', Principal: '*', Action: 'lambda:GetLayerVersion', Resource: 'r' })).ok).toBe(true);
    let keys: string[] = [];
    await expectEmptiedBy(registry, async () => (keys = await registry.deleteAll()));
    expect(keys).toEqual([fn.codeKey]);
  });

  it('LogStore: events, groups and streams', async () => {
    const logs = stub(env.LOGS);
    await logs.append('/aws/lambda/f', 'stream', [{ timestamp: Date.now(), message: 'line', platform: true }]);
    // A playground sandbox's stored-log budget.
    await logs.setStoredBytesLimit(4096);
    await expectEmptiedBy(logs, () => logs.deleteAll());
    expect(await logs.hasGroup('/aws/lambda/f')).toBe(false);
  });

  it('ConcurrencyLimiter: the limit, reservations, leases and the sweep alarm', async () => {
    const limiter = stub(env.CONCURRENCY);
    await limiter.setAccountLimit(1000);
    await limiter.putReservation('f', 10);
    // A playground sandbox's invocation quotas and counts.
    await limiter.setSandboxQuotas({ invocationsPerMinute: 10, invocationsTotal: 100, costCapUsd: '0.01' });
    expect((await limiter.acquire('f', 60_000)).ok).toBe(true);
    expect(await alarmOf(limiter)).not.toBeNull();
    await expectEmptiedBy(limiter, () => limiter.deleteAll());
    expect(await limiter.snapshot()).toMatchObject({ accountLimit: Number(env.FAASBOX_ACCOUNT_CONCURRENCY), reservations: {}, activeByFunction: {}, concurrentExecutions: 0 });
  });

  it('QueueStore: queues and messages', async () => {
    const queues = stub(env.QUEUES);
    await queues.createQueue('q');
    expect((await queues.sendMessage('q', { body: 'b', senderId: 'sender' })).ok).toBe(true);
    await expectEmptiedBy(queues, () => queues.deleteAll());
    expect(await queues.getQueue('q')).toBeUndefined();
  });

  it('MetricsStore: points, histograms, counters, usage and the rollup alarm', async () => {
    const metrics = stub(env.METRICS);
    await metrics.record([{ functionName: 'f', metric: 'Duration', value: 5 }], Date.now(), { requestId: 'r', functionName: 'f', billedDurationMs: 5, memorySizeMb: 128 });
    // A batch as the invocation path writes it: its id is kept against a retry.
    expect(await metrics.recordBatch('batch-1', [{ samples: [{ functionName: 'f', metric: 'Invocations', value: 1 }], atMs: Date.now() }])).toBe(true);
    expect(await alarmOf(metrics)).not.toBeNull();
    await expectEmptiedBy(metrics, () => metrics.deleteAll());
  });

  it('TraceStore: traces and segments', async () => {
    const traces = stub(env.TRACES);
    const now = Date.now() / 1000;
    await traces.put([{ id: 'seg', trace_id: '1-abc-def', name: 'f', start_time: now, end_time: now }]);
    await expectEmptiedBy(traces, () => traces.deleteAll());
  });

  it('TopicStore: topics and subscriptions', async () => {
    const topics = stub(env.TOPICS);
    await topics.createTopic('t', {}, {}, 10);
    await topics.subscribe('t', 'sqs', `arn:aws:sqs:us-east-1:${ACCOUNT_ID}:q`, {}, `arn:aws:sns:us-east-1:${ACCOUNT_ID}:t:${crypto.randomUUID()}`, `arn:aws:iam::${ACCOUNT_ID}:root`);
    await expectEmptiedBy(topics, () => topics.deleteAll());
  });

  it('ScheduleStore: owner, rules, targets, unqueued firings and the alarm', async () => {
    const schedules = stub(env.SCHEDULES);
    await schedules.putRule({ accountId: ACCOUNT_ID, region: 'us-east-1' }, { name: 'r', scheduleExpression: 'rate(1 day)', state: 'ENABLED' }, Date.now());
    expect((await schedules.putTargets('r', [{ id: 't', arn: `arn:aws:lambda:us-east-1:${ACCOUNT_ID}:function:f`, functionName: 'f' }])).ok).toBe(true);
    // A firing decided but not queued yet (the outbox is drained at once when queueing works).
    await runInDurableObject(schedules, (_instance, state) => state.storage.sql.exec("INSERT INTO outbox VALUES ('req', 'f', '{}', 0)"));
    expect(await alarmOf(schedules)).not.toBeNull();
    await expectEmptiedBy(schedules, () => schedules.deleteAll());
  });

  it('EventSourceMappings: mappings and the poll alarm', async () => {
    const mappings = stub(env.EVENT_SOURCE_MAPPINGS);
    const created = await mappings.create({
      uuid: crypto.randomUUID(), accountId: ACCOUNT_ID, region: 'us-east-1', functionName: 'f', functionArn: `arn:aws:lambda:us-east-1:${ACCOUNT_ID}:function:f`,
      eventSourceArn: `arn:aws:sqs:us-east-1:${ACCOUNT_ID}:q`, queueName: 'q', batchSize: 10, maximumBatchingWindowSeconds: 0,
      enabled: false, reportBatchItemFailures: false, lastModifiedMs: Date.now(),
    });
    expect(created.ok).toBe(true);
    await expectEmptiedBy(mappings, () => mappings.deleteAll());
  });
});

  it('IamStore: roles, users, inline policies, managed policies with versions and attachments', async () => {
    const iam = stub(env.IAM_STORE);
    const document = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'logs:*', Resource: '*' }] });
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    expect((await iam.createRole(ACCOUNT_ID, { roleName: 'r', path: '/', assumeRolePolicyDocument: trust })).ok).toBe(true);
    expect((await iam.createUser(ACCOUNT_ID, { userName: 'u', path: '/' })).ok).toBe(true);
    expect((await iam.putInlinePolicy({ kind: 'role', name: 'r' }, 'p', document)).ok).toBe(true);
    const policy = await iam.createManagedPolicy(ACCOUNT_ID, { policyName: 'm', path: '/', document });
    if (!policy.ok) throw new Error(policy.message);
    expect((await iam.attachPolicy({ kind: 'user', name: 'u' }, policy.value.arn)).ok).toBe(true);
    await expectEmptiedBy(iam, () => iam.deleteAll());
    expect(await iam.getRole('r')).toBeUndefined();
  });

describe('AccountDirectory.deleteAccount', () => {
  it('removes the account, its keys, its url-ids and its scheduled entry, and nothing of another account', async () => {
    const directory = env.ACCOUNTS.get(env.ACCOUNTS.idFromName('delete-account-test'));
    const gone = (await directory.createAccount('gone')).account.accountId;
    const kept = (await directory.createAccount('kept')).account.accountId;
    for (const accountId of [gone, kept]) {
      await directory.createAccessKey(accountId);
      await directory.setScheduled(accountId, true);
      expect(await directory.registerFunctionUrl({ urlId: accountId.padEnd(32, 'x'), accountId, functionName: 'f', qualifier: '' })).toBe(true);
    }
    expect(await directory.deleteAccount(gone)).toBe(true);
    const rowsOf = (accountId: string) => runInDurableObject(directory, (_instance, state) => Object.fromEntries(
      ownTables(state.storage.sql)
        .filter((table) => state.storage.sql.exec(`SELECT 1 FROM pragma_table_info('${table}') WHERE name = 'account_id'`).toArray().length > 0)
        .map((table) => [table, state.storage.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE account_id = ?`, accountId).one().n]),
    ));
    expect(await rowsOf(gone)).toEqual({ accounts: 0, access_keys: 0, function_url_ids: 0, scheduled_accounts: 0 });
    expect(await rowsOf(kept)).toEqual({ accounts: 1, access_keys: 2, function_url_ids: 1, scheduled_accounts: 1 });
    expect(await directory.deleteAccount(gone)).toBe(false);
  });
});
