// What an account leaves in storage: its rows in every per-account Durable Object and in the
// AccountDirectory, its R2 objects, and an account filled with every resource it can own (account
// deletion and the playground's expiry check that none of it is left).
import { expect } from 'vitest';
import { env } from 'cloudflare:workers';
import { runInDurableObject } from 'cloudflare:test';
import { signedClient, deploy, type Tenant } from './signed-client';
import { eventsApi, sqsApi } from './aws-json-client';
import { ownTables, rowCounts } from '../storage/tables';

/** Every per-account object of `accountId`, by binding. */
export function accountObjects(accountId: string): Record<string, DurableObjectStub> {
  const of = <T extends Rpc.DurableObjectBranded>(namespace: DurableObjectNamespace<T>) => namespace.get(namespace.idFromName(accountId));
  return {
    FUNCTIONS: of(env.FUNCTIONS), CONCURRENCY: of(env.CONCURRENCY), LOGS: of(env.LOGS), QUEUES: of(env.QUEUES),
    METRICS: of(env.METRICS), TRACES: of(env.TRACES), SCHEDULES: of(env.SCHEDULES), EVENT_SOURCE_MAPPINGS: of(env.EVENT_SOURCE_MAPPINGS),
    IAM_STORE: of(env.IAM_STORE), TOPICS: of(env.TOPICS),
  };
}

/** Rows of every table of every per-account object, without empty tables. */
export async function rowsOf(accountId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const [binding, stub] of Object.entries(accountObjects(accountId))) {
    for (const [table, n] of Object.entries(await rowCounts(stub))) if (n > 0) counts[`${binding}.${table}`] = n;
  }
  return counts;
}

/** Rows of the global AccountDirectory that name `accountId`. */
export function directoryRowsOf(accountId: string): Promise<Record<string, number>> {
  const directory = env.ACCOUNTS.get(env.ACCOUNTS.idFromName('directory'));
  return runInDurableObject(directory, (_instance, state) => {
    const counts: Record<string, number> = {};
    for (const table of ownTables(state.storage.sql)) {
      const hasAccount = state.storage.sql.exec(`SELECT 1 FROM pragma_table_info('${table}') WHERE name = 'account_id'`).toArray().length > 0;
      if (!hasAccount) continue;
      const n = state.storage.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE account_id = ?`, accountId).one().n;
      if (n > 0) counts[table] = n;
    }
    return counts;
  });
}

export async function r2KeysOf(accountId: string): Promise<string[]> {
  const keys: string[] = [];
  for (const prefix of [`code/${accountId}/`, `async/${accountId}/`]) keys.push(...(await env.CODE.list({ prefix })).objects.map((o) => o.key));
  return keys;
}

export async function expectStatus(response: Promise<Response>, status: number): Promise<void> {
  const answer = await response;
  expect(answer.status, await answer.clone().text()).toBe(status);
}

/** Uses every resource an account can own, and waits until what is recorded after the response is there. */
export async function fillAccount(tenant: Tenant): Promise<void> {
  const arn = (fn: string) => `arn:aws:lambda:us-east-1:${tenant.accountId}:function:${fn}`;
  const sqs = signedClient(tenant.accessKeyId, tenant.secretAccessKey, 'us-east-1', 'sqs');
  const events = signedClient(tenant.accessKeyId, tenant.secretAccessKey, 'us-east-1', 'events');
  await sqsApi.call(sqs, 'CreateQueue', { QueueName: 'jobs' });
  await sqsApi.call(sqs, 'SendMessage', { QueueUrl: `http://faasbox.test/${tenant.accountId}/jobs`, MessageBody: 'waiting' });
  await deploy(tenant, 'f', 'exports.handler = async (event) => { console.log("hello"); return event; };', { TracingConfig: { Mode: 'Active' } });
  await expectStatus(tenant.send('POST', '/2015-03-31/functions/f/versions', {}), 201);
  await expectStatus(tenant.send('POST', '/2015-03-31/functions/f/aliases', { Name: 'live', FunctionVersion: '1' }), 201);
  await expectStatus(tenant.send('POST', '/2021-10-31/functions/f/url', { AuthType: 'NONE' }), 201);
  await expectStatus(tenant.send('POST', '/2015-03-31/functions/f/policy', {
    StatementId: 'public', Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE',
  }), 201);
  await expectStatus(tenant.send('PUT', '/2017-10-31/functions/f/concurrency', { ReservedConcurrentExecutions: 5 }), 200);
  await expectStatus(tenant.send('PUT', '/api/functions/f/test-events/saved', { Event: '{"hello":"world"}' }), 200);
  await expectStatus(tenant.send('PUT', '/2019-09-25/functions/f/event-invoke-config', { MaximumRetryAttempts: 0 }), 200);
  await expectStatus(tenant.send('POST', '/2015-03-31/event-source-mappings/', {
    FunctionName: 'f', EventSourceArn: `arn:aws:sqs:us-east-1:${tenant.accountId}:jobs`, Enabled: false,
  }), 202);
  await eventsApi.call(events, 'PutRule', { Name: 'nightly', ScheduleExpression: 'rate(1 day)' });
  await eventsApi.call(events, 'PutTargets', { Rule: 'nightly', Targets: [{ Id: '1', Arn: arn('f') }] });
  await expectStatus(signedClient().send('PUT', `/api/admin/accounts/${tenant.accountId}/settings`, { ConcurrentExecutions: 50 }), 200);
  await fillIam(tenant);
  await fillTopics(tenant);
  await expectStatus(tenant.send('POST', '/2015-03-31/functions/f/invocations', { hello: 'world' }), 200);
  // Logs, metrics, billing and the trace are written after the response: wait for them.
  for (let i = 0; i < 200; i++) {
    const rows = await rowsOf(tenant.accountId);
    if (['LOGS.log_events', 'TRACES.segments'].every((table) => rows[table]) && Object.keys(rows).some((t) => t.startsWith('METRICS.'))) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`recording never arrived: ${JSON.stringify(await rowsOf(tenant.accountId))}`);
}

/** A topic with a subscription of the account's queue. */
async function fillTopics(tenant: Tenant): Promise<void> {
  const sns = signedClient(tenant.accessKeyId, tenant.secretAccessKey, 'us-east-1', 'sns');
  const call = (params: Record<string, string>) =>
    expectStatus(sns.send('POST', '/', new URLSearchParams({ Version: '2010-03-31', ...params }).toString(), { 'content-type': 'application/x-www-form-urlencoded' }), 200);
  await call({ Action: 'CreateTopic', Name: 'news' });
  await call({ Action: 'Subscribe', TopicArn: `arn:aws:sns:us-east-1:${tenant.accountId}:news`, Protocol: 'sqs', Endpoint: `arn:aws:sqs:us-east-1:${tenant.accountId}:jobs` });
}

/** A role with inline and attached policies, a customer managed policy with two versions, a user with a policy and a key. */
async function fillIam(tenant: Tenant): Promise<void> {
  const iam = signedClient(tenant.accessKeyId, tenant.secretAccessKey, 'us-east-1', 'iam');
  const call = (params: Record<string, string>) =>
    expectStatus(iam.send('POST', '/', new URLSearchParams({ Version: '2010-05-08', ...params }).toString(), { 'content-type': 'application/x-www-form-urlencoded' }), 200);
  const document = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'logs:*', Resource: '*' }] });
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
  const policyArn = `arn:aws:iam::${tenant.accountId}:policy/logs`;
  await call({ Action: 'CreateRole', RoleName: 'runner', AssumeRolePolicyDocument: trust });
  await call({ Action: 'PutRolePolicy', RoleName: 'runner', PolicyName: 'inline', PolicyDocument: document });
  await call({ Action: 'CreatePolicy', PolicyName: 'logs', PolicyDocument: document });
  await call({ Action: 'CreatePolicyVersion', PolicyArn: policyArn, PolicyDocument: document });
  await call({ Action: 'AttachRolePolicy', RoleName: 'runner', PolicyArn: policyArn });
  await call({ Action: 'CreateUser', UserName: 'ci' });
  await call({ Action: 'PutUserPolicy', UserName: 'ci', PolicyName: 'inline', PolicyDocument: document });
  await call({ Action: 'AttachUserPolicy', UserName: 'ci', PolicyArn: policyArn });
  await call({ Action: 'CreateAccessKey', UserName: 'ci' });
}
