// The playground's invocation quotas, counted at admission in the sandbox's ConcurrencyLimiter
// whatever the source (invocations a minute and in all, the cost cap at list price), a lifetime
// quota's async refusal in the dead-letter queue, sandbox functions' outbound fetch and the
// stored-logs budget (docs/PLAYGROUND.md, "Quotas").
import { env } from 'cloudflare:workers';
import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { concurrencyLimiter, logStore, metricsStore, queueStore } from '../../../src/bindings';
import { sandboxEgressRules } from '../../../src/invoke/invoke-function';
import { EGRESS_OFF_MESSAGE } from '../../../src/playground/quota-messages';
import { egressRefusal } from '../../../sandbox/host/egress';
import { deploy } from '../support/signed-client';
import { eventually } from '../support/observe';
import { sqsApi } from '../support/aws-json-client';
import { createSandbox, expectQuotaRefusal, invoke, type Sandbox } from './sandbox-client';

const ECHO = 'exports.handler = async (event) => event;';
/**
 * Runs at least 700 ms: at the test prices each such invocation costs over $0.35, so three cross the
 * $1 cap whatever the machine's load (quick invocations cost about $0.05 and stay far below it).
 */
const SLOW = 'exports.handler = async () => { await new Promise((r) => setTimeout(r, 700)); return "done"; };';

/** Moves the sandbox limiter's per-minute clock `ms` ahead, as a minute passing would. */
async function advanceMinuteClock(sandbox: Sandbox, ms: number): Promise<void> {
  // The raw stub: runInDurableObject takes no wrapper (src/bindings.ts counts writes through a Proxy).
  await runInDurableObject(env.CONCURRENCY.get(env.CONCURRENCY.idFromName(sandbox.accountId)), (instance) => {
    const base = instance.now;
    instance.now = () => base() + ms;
  });
}

describe('invocations of a sandbox', () => {
  it('refuses past the invocations a minute (Retry-After: the minute\'s end), then past the invocations in all', async () => {
    const sandbox = await createSandbox();
    await deploy(sandbox, 'fn', ECHO);
    for (let i = 0; i < 3; i++) expect((await invoke(sandbox, 'fn', { i })).status).toBe(200);
    const perMinute = await invoke(sandbox, 'fn');
    const retryAfter = Number(perMinute.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await expectQuotaRefusal(perMinute, 429, 'TooManyRequestsException')).toBe('Playground quota: at most 3 invocations a minute per sandbox.');

    await advanceMinuteClock(sandbox, 60_000);
    for (let i = 0; i < 2; i++) expect((await invoke(sandbox, 'fn', { i })).status).toBe(200);
    const total = await invoke(sandbox, 'fn');
    expect(total.headers.get('retry-after')).toBeNull();
    const body = JSON.parse(await total.clone().text()) as { Reason: string };
    expect(body.Reason).toBe('CallerRateLimitExceeded');
    expect(await expectQuotaRefusal(total, 429, 'TooManyRequestsException')).toBe('Playground quota: at most 5 invocations per sandbox in all.');
  });

  it('stops a loop of invocations at the cost cap within one invocation: the one that crosses it completes, the next is refused', async () => {
    const sandbox = await createSandbox();
    await deploy(sandbox, 'slow', SLOW);
    const completed: string[] = [];
    let refused: Response | undefined;
    for (let i = 0; i < 5 && !refused; i++) {
      // A minute passes between calls: the cost cap, not the invocations a minute, must stop the loop.
      await advanceMinuteClock(sandbox, 60_000);
      const response = await invoke(sandbox, 'slow');
      if (response.status === 200) completed.push(response.headers.get('x-amzn-requestid')!);
      else refused = response;
    }
    expect(refused).toBeDefined();
    expect(await expectQuotaRefusal(refused!, 429, 'TooManyRequestsException'))
      .toBe('Playground quota: this sandbox has used its $1 of invocations at list price; no further invocation runs.');
    // At list price (the usage records' ListCost), the completed ones reach the cap and all but the last stay below it.
    const records = await eventually(
      async () => (await metricsStore(env, sandbox.accountId).invocations({ afterId: 0, maxItems: 50 })).records,
      (r) => r.length === completed.length,
    );
    const costs = records.map((r) => Number(r.ListCost));
    const sum = costs.reduce((a, b) => a + b, 0);
    expect(sum).toBeGreaterThanOrEqual(1);
    expect(sum - costs[costs.length - 1]).toBeLessThan(1);
    const usage = (await (await sandbox.send('GET', '/api/sandbox/usage')).json()) as { Cost: { UsedUsd: string; Exceeded: boolean } };
    expect(usage.Cost.Exceeded).toBe(true);
    expect(Number(usage.Cost.UsedUsd)).toBeCloseTo(sum, 10);
  });

  it('sends an async event a lifetime quota refuses to the dead-letter queue with the quota named', async () => {
    const sandbox = await createSandbox();
    const { QueueUrl } = await sqsApi.call<{ QueueUrl: string }>(sandbox, 'CreateQueue', { QueueName: 'dlq' });
    await deploy(sandbox, 'slow', SLOW, { DeadLetterConfig: { TargetArn: `arn:aws:sqs:us-east-1:${sandbox.accountId}:dlq` } });
    while ((await invoke(sandbox, 'slow')).status === 200);
    const accepted = await invoke(sandbox, 'slow', { order: 1 }, { 'X-Amz-Invocation-Type': 'Event' });
    expect(accepted.status).toBe(202);
    // Read through the queue's own object: polling through the API would spend the key's API calls.
    const [dead] = await eventually(async () => {
      const received = await queueStore(env, sandbox.accountId).receiveMessages('dlq', 1);
      return received.ok ? received.value : [];
    }, (messages) => messages.length > 0);
    expect(QueueUrl).toContain('/dlq');
    expect(JSON.parse(dead.body)).toEqual({ order: 1 });
    expect(dead.messageAttributes).toMatchObject({
      RequestID: { StringValue: accepted.headers.get('x-amzn-requestid') },
      ErrorCode: { StringValue: '429' },
      ErrorMessage: { StringValue: 'Playground quota: this sandbox has used its $1 of invocations at list price; no further invocation runs.' },
    });
  });
});

describe('outbound fetch of sandbox functions', () => {
  it('rejects every fetch with a clear error while the playground\'s egress is off', async () => {
    const sandbox = await createSandbox();
    await deploy(sandbox, 'fetcher', `exports.handler = async () => {
      try { await fetch('https://example.com/'); return 'fetched'; } catch (e) { return e.constructor.name + ': ' + e.message; }
    };`);
    const response = await invoke(sandbox, 'fetcher');
    expect(await response.json()).toBe(`TypeError: ${EGRESS_OFF_MESSAGE}`);
  });

  it('allows https only, within the platform\'s egress rules, when the operator turns it on', () => {
    const rules = sandboxEgressRules({ ...env, FAASBOX_PLAYGROUND_EGRESS: 'on' } as unknown as Env);
    expect(egressRefusal(new URL('https://example.com/'), rules)).toBeUndefined();
    expect(egressRefusal(new URL('http://example.com/'), rules)).toBe('faasbox: fetch to http: URL refused: only https: URLs are reachable from this function');
    expect(egressRefusal(new URL('https://169.254.169.254/'), rules)).toMatch(/refused: (cloud metadata|link-local) addresses/);
    expect(egressRefusal(new URL('https://10.0.0.1/'), rules)).toMatch(/refused: private addresses/);
    expect(egressRefusal(new URL('https://faasbox.test/'), rules)).toMatch(/refused: the platform's own hosts/);
  });
});

describe('stored logs of a sandbox', () => {
  it('keeps at most the sandbox\'s log bytes, deleting the oldest events first and refusing nothing', async () => {
    const sandbox = await createSandbox();
    await deploy(sandbox, 'chatty', 'exports.handler = async (event) => { console.log(event.letter.repeat(1500)); return event.letter; };');
    for (const letter of ['a', 'b', 'c']) expect(await (await invoke(sandbox, 'chatty', { letter })).json()).toBe(letter);
    const store = logStore(env, sandbox.accountId);
    const events = await eventually(
      () => store.readEvents('/aws/lambda/chatty'),
      (read) => read.some((e) => e.message.includes('REPORT') && read.some((c) => c.message.includes('c'.repeat(1500)))),
    );
    expect(await store.storedBytesTotal()).toBeLessThanOrEqual(4096);
    expect(events.some((e) => e.message.includes('a'.repeat(1500)))).toBe(false);
    expect(events.some((e) => e.message.includes('c'.repeat(1500)))).toBe(true);
  });
});
