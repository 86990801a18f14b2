// Deleting an account through the admin API leaves no row of it in any Durable Object and no
// object of it in R2, after it used everything: functions with versions, aliases, URLs,
// policies and saved test events, concurrency settings, queues and messages, logs, metrics and
// billing, traces, schedules, queue triggers and event invoke configs.
import { describe, expect, it } from 'vitest';
import { createTenant, deploy, signedClient } from '../support/signed-client';
import { accountObjects, directoryRowsOf, expectStatus, fillAccount, r2KeysOf, rowsOf } from '../support/account-storage';

describe('DeleteAccount (admin API)', () => {
  it('leaves no row of the account in any Durable Object and no object of it in R2', async () => {
    const tenant = await createTenant('doomed');
    const neighbour = await createTenant('neighbour');
    await deploy(neighbour, 'kept', 'exports.handler = async () => 1;');
    await fillAccount(tenant);
    const before = await rowsOf(tenant.accountId);
    // Every kind of object holds something before the delete.
    for (const binding of Object.keys(accountObjects(tenant.accountId))) {
      expect(Object.keys(before).some((table) => table.startsWith(`${binding}.`)), `${binding} holds rows`).toBe(true);
    }
    expect(await directoryRowsOf(tenant.accountId)).not.toEqual({});
    expect(await r2KeysOf(tenant.accountId)).not.toEqual([]);

    await expectStatus(signedClient().send('DELETE', `/api/admin/accounts/${tenant.accountId}`), 204);

    expect(await rowsOf(tenant.accountId)).toEqual({});
    expect(await directoryRowsOf(tenant.accountId)).toEqual({});
    expect(await r2KeysOf(tenant.accountId)).toEqual([]);
    // Its keys sign nothing any more; the neighbour keeps everything.
    await expectStatus(tenant.send('GET', '/2015-03-31/functions'), 403);
    expect(await rowsOf(neighbour.accountId)).toMatchObject({ 'FUNCTIONS.functions': 1 });
    expect(await r2KeysOf(neighbour.accountId)).toHaveLength(1);
  });
});
