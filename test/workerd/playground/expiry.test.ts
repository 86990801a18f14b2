// A sandbox's end: the registry's alarm (or the every-minute sweep, when the alarm was lost) deletes
// its account with everything it owns; a signed request of its keys keeps it alive, function URL
// traffic does not.
import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { createExecutionContext, createScheduledController, runDurableObjectAlarm, runInDurableObject, waitOnExecutionContext } from 'cloudflare:test';
import { AwsClient } from 'aws4fetch';
import worker from '../../../src/index';
import { deploy, ORIGIN, signedClient } from '../support/signed-client';
import { allowPublic, createUrl } from '../support/url-client';
import { eventually } from '../support/observe';
import { directoryRowsOf, expectStatus, fillAccount, r2KeysOf, rowsOf } from '../support/account-storage';
import { createSandbox, registryStub, type CreatedSandbox } from '../support/playground-client';

const IDLE_MS = 3600_000;
const MAX_MS = 28_800_000;

type Times = { created_ms: number; last_active_ms: number };

function timesOf(accountId: string): Promise<Times | undefined> {
  return runInDurableObject(registryStub(), (_instance, state) =>
    state.storage.sql.exec<Times>('SELECT created_ms, last_active_ms FROM sandboxes WHERE account_id = ?', accountId).toArray()[0]);
}

/** Moves the sandbox's creation and last activity `ms` into the past. */
function backdate(accountId: string, ms: { created?: number; lastActive?: number }): Promise<void> {
  return runInDurableObject(registryStub(), (_instance, state) => {
    state.storage.sql.exec('UPDATE sandboxes SET created_ms = created_ms - ?, last_active_ms = last_active_ms - ? WHERE account_id = ?',
      ms.created ?? 0, ms.lastActive ?? 0, accountId);
  });
}

/** Sends `request` to the Worker and waits for everything it left to run after the response (waitUntil). */
async function fetchAndSettle(request: Request): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(request, env, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

async function signedAndSettled(sandbox: CreatedSandbox, path: string): Promise<Response> {
  const aws = new AwsClient({ accessKeyId: sandbox.body.AccessKey.AccessKeyId, secretAccessKey: sandbox.body.AccessKey.SecretAccessKey, service: 'lambda', region: 'us-east-1', retries: 0 });
  return fetchAndSettle(await aws.sign(`${ORIGIN}${path}`));
}

async function expectEnded(sandbox: CreatedSandbox): Promise<void> {
  const refused = await sandbox.tenant.send('GET', '/api/caller');
  expect(refused.status).toBe(403);
  expect(refused.headers.get('x-amzn-ErrorType')).toBe('UnrecognizedClientException');
  expect(await timesOf(sandbox.accountId)).toBeUndefined();
}

describe('a sandbox at its end', () => {
  it('is deleted by the alarm: keys refused, URL gone, schedule never fires, no storage left anywhere', async () => {
    const sandbox = await createSandbox({ address: '192.0.2.1' });
    // fillAccount reserves concurrency beyond a sandbox's own limit of 2.
    await expectStatus(signedClient().send('PUT', `/api/admin/accounts/${sandbox.accountId}/settings`, { ConcurrentExecutions: 1000 }), 200);
    await fillAccount(sandbox.tenant);
    const { FunctionUrl } = (await (await sandbox.tenant.send('GET', '/2021-10-31/functions/f/url')).json()) as { FunctionUrl: string };
    const urlRequest = () => fetchAndSettle(new Request(FunctionUrl, { method: 'POST', body: '{}' }));
    expect((await urlRequest()).status).toBe(200);
    expect(await directoryRowsOf(sandbox.accountId)).not.toEqual({});
    expect(await rowsOf(sandbox.accountId)).not.toEqual({});
    expect(await r2KeysOf(sandbox.accountId)).not.toEqual([]);

    // Past its maximum life (an activity recorded late cannot move that end).
    await backdate(sandbox.accountId, { created: MAX_MS + 1000 });
    expect(await runDurableObjectAlarm(registryStub())).toBe(true);

    await expectEnded(sandbox);
    expect(await rowsOf(sandbox.accountId)).toEqual({});
    expect(await directoryRowsOf(sandbox.accountId)).toEqual({});
    expect(await r2KeysOf(sandbox.accountId)).toEqual([]);
    // Its URL answers as an unknown URL does (Lambda's 403 Forbidden), without running anything.
    const url = await urlRequest();
    expect(url.status).toBe(403);
    expect(await url.json()).toEqual({ Message: 'Forbidden' });
    // Its schedule's alarm is gone, and the cron's nudge a day later finds nothing to fire.
    expect(await runDurableObjectAlarm(env.SCHEDULES.get(env.SCHEDULES.idFromName(sandbox.accountId)))).toBe(false);
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now() + 2 * 86_400_000, cron: '* * * * *' }), env);
    expect(await rowsOf(sandbox.accountId)).toEqual({});
  });

  it('ends idle: a signed request of its keys moves the end, function URL traffic does not', async () => {
    const quiet = await createSandbox({ address: '192.0.2.2' });
    await backdate(quiet.accountId, { lastActive: 1000_000 });
    const before = await timesOf(quiet.accountId);
    const sent = Date.now();
    expect((await signedAndSettled(quiet, '/api/caller')).status).toBe(200);
    expect((await timesOf(quiet.accountId))!.last_active_ms).toBeGreaterThanOrEqual(sent);
    const status = (await (await quiet.tenant.send('GET', '/api/sandbox')).json()) as { EndsAt: string; LastActiveAt: string };
    expect(Date.parse(status.EndsAt)).toBeGreaterThan(before!.last_active_ms + IDLE_MS);

    const web = await createSandbox({ address: '192.0.2.3' });
    const firstRequest = Date.now();
    await deploy(web.tenant, 'page', 'exports.handler = async () => ({ statusCode: 200, body: "hi" });');
    const { urlId } = await createUrl(web.tenant, 'page');
    await allowPublic(web.tenant, 'page');
    // The setup's own activity has landed before the clock is moved back.
    await eventually(() => timesOf(web.accountId), (t) => t!.last_active_ms >= firstRequest);
    await backdate(web.accountId, { lastActive: 1000_000 });
    const idleSince = (await timesOf(web.accountId))!.last_active_ms;
    for (let i = 0; i < 3; i++) {
      expect((await fetchAndSettle(new Request(`http://${urlId}.lambda-url.us-east-1.localhost/`))).status).toBe(200);
    }
    expect((await timesOf(web.accountId))!.last_active_ms).toBe(idleSince);

    // Idle past FAASBOX_PLAYGROUND_IDLE_SECONDS: the alarm ends it.
    await backdate(web.accountId, { lastActive: IDLE_MS });
    expect(await runDurableObjectAlarm(registryStub())).toBe(true);
    await expectEnded(web);
    expect(await rowsOf(web.accountId)).toEqual({});
  });

  it('stays due when its keys are used after its idle end but before its alarm ran', async () => {
    const late = await createSandbox({ address: '192.0.2.6' });
    await eventually(() => timesOf(late.accountId), (t) => t !== undefined);
    await backdate(late.accountId, { lastActive: IDLE_MS + 1000 });
    const due = (await timesOf(late.accountId))!.last_active_ms;
    // Its keys still sign until the alarm deletes them; the activity is not recorded.
    expect((await signedAndSettled(late, '/api/caller')).status).toBe(200);
    expect((await timesOf(late.accountId))!.last_active_ms).toBe(due);
    expect(await runDurableObjectAlarm(registryStub())).toBe(true);
    await expectEnded(late);
  });

  it('is ended by the every-minute sweep when its alarm was lost', async () => {
    const sandbox = await createSandbox({ address: '192.0.2.4' });
    const survivor = await createSandbox({ address: '192.0.2.5' });
    await backdate(sandbox.accountId, { created: MAX_MS + 1000, lastActive: MAX_MS + 1000 });
    await runInDurableObject(registryStub(), (_instance, state) => state.storage.deleteAlarm());
    expect(await runDurableObjectAlarm(registryStub())).toBe(false);

    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: '* * * * *' }), env);
    await expectEnded(sandbox);
    expect((await survivor.tenant.send('GET', '/api/caller')).status).toBe(200);
    // The sweep armed the alarm again, for the survivor's end.
    const alarm = await runInDurableObject(registryStub(), (_instance, state) => state.storage.getAlarm());
    expect(alarm).not.toBeNull();
  });
});
