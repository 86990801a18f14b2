// API rate limits (docs/SECURITY.md, "Rate limits"), in a Worker whose limits are small
// (vitest.config.ts, RATE_LIMIT_TEST_LIMITS): a burst past a key's or an address's budget is
// answered in each protocol's throttling shape, other keys and addresses are unaffected, a key
// works again once its bucket refilled, and repeated bad signatures are refused before the checks.
import { describe, expect, it } from 'vitest';
import { env, exports } from 'cloudflare:workers';
import { runInDurableObject } from 'cloudflare:test';
import type { ApiRateLimiter } from '../../../src/objects/api-rate-limiter';
import { ADMIN_KEY_ID, ORIGIN, createTenant, signedClient, type TestClient } from '../support/signed-client';
import { logsApi, sqsApi } from '../support/aws-json-client';

/** vitest.config.ts's RATE_LIMIT_TEST_LIMITS. */
const KEY_BURST = 6;
const ADDRESS_BURST = 9;
const FAILURE_BURST = 3;

/** Stops the clock of `subject`'s limiter at `atMs` (from now on, until moved again): bursts are counted exactly. */
async function setClock(subject: string, atMs: number): Promise<void> {
  const stub = env.API_RATE_LIMITER.get(env.API_RATE_LIMITER.idFromName(subject));
  await runInDurableObject(stub, (limiter: ApiRateLimiter) => {
    limiter.now = () => atMs;
  });
}

let addresses = 0;
/** A source address no other test uses. */
const newAddress = () => `198.51.100.${++addresses}`;

/** A tenant whose key's clock stands at `T0`; the admin key's bucket is refilled after each creation. */
const T0 = Date.UTC(2026, 0, 1);
let adminClockMs = T0;
async function tenant(service = 'lambda'): Promise<TestClient & { accountId: string }> {
  adminClockMs += 3_600_000;
  await setClock(`key:${ADMIN_KEY_ID}`, adminClockMs);
  const created = await createTenant('throttled', service);
  await setClock(`key:${created.accessKeyId}`, T0);
  return created;
}

const listFunctions = (client: TestClient, headers: Record<string, string> = {}) => client.send('GET', '/2015-03-31/functions', undefined, headers);

/** Sends `count` requests one after another; their statuses. */
async function statuses(count: number, send: () => Promise<Response>): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < count; i++) seen.push((await send()).status);
  return seen;
}

describe('per access key', () => {
  it("answers Lambda's TooManyRequestsException with Reason CallerRateLimitExceeded and Retry-After past the key's burst", async () => {
    const client = await tenant();
    expect(await statuses(KEY_BURST, () => listFunctions(client))).toEqual(Array(KEY_BURST).fill(200));
    const refused = await listFunctions(client);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-amzn-errortype')).toBe('TooManyRequestsException');
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toEqual({ Reason: 'CallerRateLimitExceeded', Type: 'User', message: 'Rate exceeded' });
  });

  it("leaves another key's budget alone", async () => {
    const [spent, other] = [await tenant(), await tenant()];
    await statuses(KEY_BURST + 1, () => listFunctions(spent));
    expect((await listFunctions(spent)).status).toBe(429);
    expect(await statuses(KEY_BURST, () => listFunctions(other))).toEqual(Array(KEY_BURST).fill(200));
  });

  it("spends nothing of a key's budget for requests that only claim its id", async () => {
    const victim = await tenant();
    const claim = { Authorization: `AWS4-HMAC-SHA256 Credential=${victim.accessKeyId}/20260101/us-east-1/lambda/aws4_request` };
    const claims = await statuses(KEY_BURST * 2, () => exports.default.fetch(new Request(`${ORIGIN}/2015-03-31/functions`, { headers: claim })));
    expect(claims).toEqual(Array(KEY_BURST * 2).fill(400));
    expect(await statuses(KEY_BURST, () => listFunctions(victim))).toEqual(Array(KEY_BURST).fill(200));
  });

  it('admits the key again once its bucket refilled, one request per second', async () => {
    const client = await tenant();
    await statuses(KEY_BURST + 1, () => listFunctions(client));
    await setClock(`key:${client.accessKeyId}`, T0 + 1_000);
    expect((await listFunctions(client)).status).toBe(200);
    expect((await listFunctions(client)).status).toBe(429);
    await setClock(`key:${client.accessKeyId}`, T0 + 60_000);
    expect(await statuses(KEY_BURST, () => listFunctions(client))).toEqual(Array(KEY_BURST).fill(200));
  });

  it('answers SQS RequestThrottled on the JSON protocol (403, x-amzn-query-error) and on the Query protocol (XML)', async () => {
    const client = await tenant('sqs');
    await statuses(KEY_BURST, () => sqsApi.response(client, 'ListQueues'));
    const json = await sqsApi.response(client, 'ListQueues');
    expect(json.status).toBe(403);
    expect(json.headers.get('x-amzn-errortype')).toBe('RequestThrottled');
    expect(json.headers.get('x-amzn-query-error')).toBe('RequestThrottled;Sender');
    expect(json.headers.get('content-type')).toBe('application/x-amz-json-1.0');
    expect(await json.json()).toEqual({ __type: 'com.amazonaws.sqs#RequestThrottled', message: 'Rate exceeded' });
    const body = new URLSearchParams({ Version: '2012-11-05', Action: 'ListQueues' }).toString();
    const query = await client.as('sqs').send('POST', '/', body, { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' });
    expect(query.status).toBe(403);
    expect(query.headers.get('content-type')).toBe('text/xml');
    const xml = await query.text();
    expect(xml).toContain('<Type>Sender</Type><Code>RequestThrottled</Code><Message>Rate exceeded</Message>');
  });

  it("answers CloudWatch Logs' ThrottlingException", async () => {
    const client = await tenant('logs');
    await statuses(KEY_BURST, () => logsApi.response(client, 'DescribeLogGroups'));
    const refused = await logsApi.response(client, 'DescribeLogGroups');
    expect(refused.status).toBe(400);
    expect(refused.headers.get('x-amzn-errortype')).toBe('ThrottlingException');
    expect(refused.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(await refused.json()).toEqual({ __type: 'ThrottlingException', message: 'Rate exceeded' });
  });
});

describe('per source address', () => {
  it("refuses an address past its burst whichever keys it uses, and leaves other addresses alone", async () => {
    const address = newAddress();
    await setClock(`address:${address}`, T0);
    const [a, b] = [await tenant(), await tenant()];
    const from = (client: TestClient, at: string) => () => listFunctions(client, { 'cf-connecting-ip': at });
    expect([...await statuses(5, from(a, address)), ...await statuses(ADDRESS_BURST - 5, from(b, address))]).toEqual(Array(ADDRESS_BURST).fill(200));
    expect((await from(b, address)()).status).toBe(429);
    expect((await from(b, newAddress())()).status).toBe(200);
  });
});

describe('authentication failures', () => {
  it('refuses an address with 429 after repeated bad signatures, before the key is even looked up', async () => {
    const address = newAddress();
    await setClock(`address:${address}`, T0);
    const forged = signedClient('AKIANOSUCHKEY0000000', 'wrong');
    const attempts = await statuses(FAILURE_BURST, () => listFunctions(forged, { 'cf-connecting-ip': address }));
    expect(attempts).toEqual(Array(FAILURE_BURST).fill(403));
    const good = await tenant();
    const refused = await listFunctions(good, { 'cf-connecting-ip': address });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-amzn-errortype')).toBe('TooManyRequestsException');
    // Failures are forgiven one a second here (60 a minute).
    await setClock(`address:${address}`, T0 + 1_000);
    expect((await listFunctions(good, { 'cf-connecting-ip': address })).status).toBe(200);
  });

  it('refuses a key id with 429 after repeated bad signatures for it, from any address', async () => {
    const victim = await tenant();
    await setClock(`key:${victim.accessKeyId}`, T0);
    const forged = signedClient(victim.accessKeyId, 'not-its-secret');
    for (let i = 0; i < FAILURE_BURST; i++) {
      const address = newAddress();
      await setClock(`address:${address}`, T0);
      expect((await listFunctions(forged, { 'cf-connecting-ip': address })).status).toBe(403);
    }
    expect((await listFunctions(forged, { 'cf-connecting-ip': newAddress() })).status).toBe(429);
    expect((await listFunctions(victim)).status).toBe(429);
    await setClock(`key:${victim.accessKeyId}`, T0 + 1_000);
    expect((await listFunctions(victim)).status).toBe(200);
  });
});
