// The playground's per-sandbox quotas on building (functions, code sizes, Timeout, MemorySize,
// reserved concurrency), function URLs, schedules, queues and API calls, each refused in its
// service's AWS shape with the quota named; and GET /api/sandbox/usage (docs/PLAYGROUND.md, "Quotas").
import { describe, expect, it } from 'vitest';
import { createTenant, deploy } from '../support/signed-client';
import { ROLE, zipBase64 } from '../support/zip';
import { allowPublic, createUrl, urlFetch } from '../support/url-client';
import { eventsApi, sqsApi } from '../support/aws-json-client';
import { createSandbox, expectQuotaRefusal, invoke } from './sandbox-client';
import { createSandbox as createRegisteredSandbox } from '../support/playground-client';
import { PLAYGROUND_SHARES_PER_SANDBOX, PLAYGROUND_VERSIONS_PER_FUNCTION } from '../../../src/limits';

const ECHO = 'exports.handler = async (event) => event;';
const createRequest = (name: string, files: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  FunctionName: name, Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zipBase64(files) }, ...extra,
});

/** Text that deflate cannot shrink much: random bytes as hex. */
function incompressible(bytes: number): string {
  return [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

describe('building in a sandbox', () => {
  it('refuses a function past the sandbox\'s count as CodeStorageExceededException', async () => {
    const sandbox = await createSandbox();
    for (const name of ['f1', 'f2', 'f3']) await deploy(sandbox, name, ECHO);
    const message = await expectQuotaRefusal(await sandbox.send('POST', '/2015-03-31/functions', createRequest('f4', { 'index.js': ECHO })), 400, 'CodeStorageExceededException');
    expect(message).toBe('Playground quota: at most 3 functions per sandbox.');
    // Deleting one makes room again.
    expect((await sandbox.send('DELETE', '/2015-03-31/functions/f1')).status).toBe(204);
    await deploy(sandbox, 'f4', ECHO);
  });

  it('refuses a published version past the versions a function may keep, each of them a stored zip', async () => {
    const sandbox = await createSandbox();
    await deploy(sandbox, 'many', ECHO);
    for (let v = 1; v <= PLAYGROUND_VERSIONS_PER_FUNCTION; v++) {
      const updated = await sandbox.send('PUT', '/2015-03-31/functions/many/code', { ZipFile: zipBase64({ 'index.js': `${ECHO} // ${v}` }), Publish: true });
      expect(updated.status, await updated.clone().text()).toBe(200);
    }
    const refused = await sandbox.send('PUT', '/2015-03-31/functions/many/code', { ZipFile: zipBase64({ 'index.js': `${ECHO} // more` }), Publish: true });
    expect(await expectQuotaRefusal(refused, 400, 'CodeStorageExceededException'))
      .toBe(`Playground quota: at most ${PLAYGROUND_VERSIONS_PER_FUNCTION} published versions per function in a sandbox: delete one to publish another.`);
    // The code update itself was kept ($LATEST changed); publishing it is refused the same way until a version is deleted.
    expect((await sandbox.send('POST', '/2015-03-31/functions/many/versions', {})).status).toBe(400);
    expect((await sandbox.send('DELETE', '/2015-03-31/functions/many?Qualifier=1')).status).toBe(204);
    expect((await sandbox.send('POST', '/2015-03-31/functions/many/versions', {})).status).toBe(201);
  });

  it('refuses a share past the shares a sandbox may make (each outlives it)', async () => {
    const { tenant } = await createRegisteredSandbox({ address: '203.0.113.90' });
    await deploy(tenant, 'shared', ECHO);
    for (let i = 0; i < PLAYGROUND_SHARES_PER_SANDBOX; i++) expect((await tenant.send('POST', '/api/functions/shared/shares', {})).status).toBe(201);
    const refused = await tenant.send('POST', '/api/functions/shared/shares', {});
    expect(await expectQuotaRefusal(refused, 400, 'LimitExceededException')).toBe(`Playground quota: at most ${PLAYGROUND_SHARES_PER_SANDBOX} shares per sandbox.`);
  });

  it('refuses a zip or unzipped code past the sandbox\'s sizes, on create and on update', async () => {
    const sandbox = await createSandbox();
    const tooBigZip = { 'index.js': `${ECHO}\n// ${incompressible(4000)}` };
    expect(await expectQuotaRefusal(await sandbox.send('POST', '/2015-03-31/functions', createRequest('big', tooBigZip)), 413, 'RequestEntityTooLargeException'))
      .toBe("Playground quota: a function's zip file is at most 4096 bytes in a sandbox.");
    const tooBigUnzipped = { 'index.js': `${ECHO}\n// ${'x'.repeat(20_000)}` };
    expect(await expectQuotaRefusal(await sandbox.send('POST', '/2015-03-31/functions', createRequest('big', tooBigUnzipped)), 400, 'InvalidParameterValueException'))
      .toBe("Playground quota: a function's code is at most 16384 bytes unzipped in a sandbox.");
    await deploy(sandbox, 'small', ECHO);
    const update = await sandbox.send('PUT', '/2015-03-31/functions/small/code', { ZipFile: zipBase64(tooBigUnzipped) });
    await expectQuotaRefusal(update, 400, 'InvalidParameterValueException');
    // An ordinary account keeps Lambda's limits.
    const tenant = await createTenant();
    expect((await tenant.send('POST', '/2015-03-31/functions', createRequest('big', tooBigUnzipped))).status).toBe(201);
  });

  it('refuses a Timeout above the sandbox\'s maximum and a MemorySize above the platform ceiling', async () => {
    const sandbox = await createSandbox();
    expect(await expectQuotaRefusal(await sandbox.send('POST', '/2015-03-31/functions', createRequest('slow', { 'index.js': ECHO }, { Timeout: 11 })), 400, 'InvalidParameterValueException'))
      .toBe('Playground quota: Timeout is at most 10 seconds in a sandbox.');
    expect(await expectQuotaRefusal(await sandbox.send('POST', '/2015-03-31/functions', createRequest('fat', { 'index.js': ECHO }, { MemorySize: 256 })), 400, 'InvalidParameterValueException'))
      .toBe("Playground quota: MemorySize is at most 128 MB in a sandbox (the platform's memory ceiling).");
    await deploy(sandbox, 'fn', ECHO, { Timeout: 10, MemorySize: 128 });
    await expectQuotaRefusal(await sandbox.send('PUT', '/2015-03-31/functions/fn/configuration', { Timeout: 30 }), 400, 'InvalidParameterValueException');
    expect((await sandbox.send('PUT', '/2015-03-31/functions/fn/configuration', { Timeout: 5 })).status).toBe(200);
  });

  it('lets a sandbox throttle a function (reserved 0) and refuses any other reservation with Lambda\'s rule for small accounts', async () => {
    const sandbox = await createSandbox();
    await deploy(sandbox, 'fn', ECHO);
    const zero = await sandbox.send('PUT', '/2017-10-31/functions/fn/concurrency', { ReservedConcurrentExecutions: 0 });
    expect(zero.status).toBe(200);
    const one = await sandbox.send('PUT', '/2017-10-31/functions/fn/concurrency', { ReservedConcurrentExecutions: 1 });
    expect(one.status).toBe(400);
    expect(await one.json()).toMatchObject({
      message: "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [2].",
    });
  });
});

describe('function URLs of a sandbox', () => {
  it('allows two URLs, each at most 3 requests a minute, every answer with the sandbox headers', async () => {
    const sandbox = await createSandbox();
    for (const name of ['a', 'b', 'c']) await deploy(sandbox, name, `exports.handler = async () => ({ statusCode: 200, headers: { 'content-type': 'text/html', 'content-security-policy': "default-src *" }, body: '<p>${name}</p>' });`);
    const { urlId } = await createUrl(sandbox, 'a');
    await allowPublic(sandbox, 'a');
    await createUrl(sandbox, 'b');
    expect(await expectQuotaRefusal(await sandbox.send('POST', '/2021-10-31/functions/c/url', { AuthType: 'NONE' }), 400, 'InvalidParameterValueException'))
      .toBe('Playground quota: at most 2 function URLs per sandbox.');

    for (let i = 0; i < 3; i++) {
      const response = await urlFetch(urlId);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('<p>a</p>');
      // The function's own, weaker policy is replaced.
      expect(response.headers.get('content-security-policy')).toBe('sandbox allow-scripts');
      expect(response.headers.get('x-robots-tag')).toBe('noindex');
    }
    const refused = await urlFetch(urlId);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toEqual({ Message: 'Playground quota: at most 3 requests a minute to each function URL of a sandbox.' });
    expect(refused.headers.get('content-security-policy')).toBe('sandbox allow-scripts');
  });

  it('leaves an ordinary account\'s URL responses as the function sends them', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'page', 'exports.handler = async () => ({ statusCode: 200, body: "hi" });');
    const { urlId } = await createUrl(tenant, 'page');
    await allowPublic(tenant, 'page');
    const response = await urlFetch(urlId);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBeNull();
    expect(response.headers.get('x-robots-tag')).toBeNull();
  });
});

describe('schedules and queues of a sandbox', () => {
  it('refuses schedules faster than the minimum and past the count (EventBridge errors)', async () => {
    const sandbox = await createSandbox();
    for (const expression of ['rate(1 minute)', 'cron(* * * * ? *)', 'cron(0/1 9 * * ? *)']) {
      const response = await eventsApi.response(sandbox, 'PutRule', { Name: 'fast', ScheduleExpression: expression });
      expect(await eventsApi.error(response, 'ValidationException')).toBe("Playground quota: a sandbox's schedules fire at most once every 120 seconds.");
    }
    for (const name of ['r1', 'r2', 'r3']) await eventsApi.call(sandbox, 'PutRule', { Name: name, ScheduleExpression: 'rate(2 minutes)' });
    const fourth = await eventsApi.response(sandbox, 'PutRule', { Name: 'r4', ScheduleExpression: 'cron(0 * * * ? *)' });
    expect(await eventsApi.error(fourth, 'LimitExceededException')).toBe('Playground quota: at most 3 schedules per sandbox.');
    // Replacing a rule is not a new one.
    await eventsApi.call(sandbox, 'PutRule', { Name: 'r1', ScheduleExpression: 'rate(5 minutes)' });
  });

  it('refuses a queue past the count and a message past what a queue may hold, as SQS OverLimit (403)', async () => {
    const sandbox = await createSandbox();
    const { QueueUrl } = await sqsApi.call<{ QueueUrl: string }>(sandbox, 'CreateQueue', { QueueName: 'q1' });
    await sqsApi.call(sandbox, 'CreateQueue', { QueueName: 'q2' });
    // CreateQueue of an existing queue stays idempotent.
    await sqsApi.call(sandbox, 'CreateQueue', { QueueName: 'q1' });
    const third = await sqsApi.response(sandbox, 'CreateQueue', { QueueName: 'q3' });
    expect(third.status).toBe(403);
    expect(await third.json()).toEqual({ __type: 'com.amazonaws.sqs#OverLimit', message: 'Playground quota: at most 2 queues per sandbox.' });
    for (let i = 0; i < 3; i++) await sqsApi.call(sandbox, 'SendMessage', { QueueUrl, MessageBody: `m${i}` });
    const full = await sqsApi.response(sandbox, 'SendMessage', { QueueUrl, MessageBody: 'one too many' });
    expect(full.status).toBe(403);
    expect(full.headers.get('x-amzn-query-error')).toBe('OverLimit;Sender');
    expect(await full.json()).toMatchObject({ message: 'Playground quota: a queue of a sandbox holds at most 3 messages.' });
  });
});

describe('API calls and usage of a sandbox', () => {
  it('refuses a sandbox key past its API calls a minute with Lambda\'s throttle naming the quota', async () => {
    const sandbox = await createSandbox();
    let answered = 0;
    let refused: Response | undefined;
    // 40 a minute refill by two thirds of a call a second while these run: a few more may pass.
    while (!refused && answered < 60) {
      const response = await sandbox.send('GET', '/2015-03-31/functions');
      if (response.status === 429) refused = response;
      else answered++;
    }
    expect(answered).toBeGreaterThanOrEqual(40);
    expect(refused).toBeDefined();
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await expectQuotaRefusal(refused!, 429, 'TooManyRequestsException')).toBe('Playground quota: at most 40 API calls a minute per sandbox key.');
    // Another sandbox's key has its own budget.
    expect((await (await createSandbox()).send('GET', '/2015-03-31/functions')).status).toBe(200);
  });

  it('reports every counted quota and the cost, and is a 404 for an ordinary account', async () => {
    const sandbox = await createSandbox();
    await deploy(sandbox, 'fn', ECHO);
    expect((await invoke(sandbox, 'fn', { n: 1 })).status).toBe(200);
    await sqsApi.call(sandbox, 'CreateQueue', { QueueName: 'q' });
    await eventsApi.call(sandbox, 'PutRule', { Name: 'r', ScheduleExpression: 'rate(5 minutes)' });
    await createUrl(sandbox, 'fn');
    const response = await sandbox.send('GET', '/api/sandbox/usage');
    expect(response.status).toBe(200);
    const usage = (await response.json()) as { Quotas: { Name: string; Used: number; Limit: number; Unit: string }[]; Cost: { UsedUsd: string; CapUsd: string; Exceeded: boolean } };
    const used = Object.fromEntries(usage.Quotas.map((q) => [q.Name, [q.Used, q.Limit]]));
    expect(used).toMatchObject({
      Functions: [1, 3], InvocationsThisMinute: [1, 3], Invocations: [1, 5], ConcurrentExecutions: [0, 2],
      FunctionUrls: [1, 2], Schedules: [1, 3], Queues: [1, 2],
    });
    expect(used.LogBytes[1]).toBe(4096);
    expect(usage.Quotas.every((q) => q.Unit.length > 0)).toBe(true);
    expect(usage.Cost.CapUsd).toBe('1');
    expect(Number(usage.Cost.UsedUsd)).toBeGreaterThan(0.05);
    expect(usage.Cost.Exceeded).toBe(false);

    const tenant = await createTenant();
    const notSandbox = await tenant.send('GET', '/api/sandbox/usage');
    expect(notSandbox.status).toBe(404);
    expect(await notSandbox.json()).toMatchObject({ message: 'This account is not a playground sandbox.' });
  });
});
