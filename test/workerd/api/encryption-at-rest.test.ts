// Encryption at rest of environment variables (docs/SECURITY.md): the guest and an authorised
// caller see them in clear, the FunctionRegistry's storage holds none of them, records stored in
// clear by earlier code still answer (and are encrypted by migration 2), KMSKeyArn is kept and
// shown, and variables faasbox cannot decrypt fail closed with Lambda's KMS error shapes.
import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { evictDurableObject, runInDurableObject } from 'cloudflare:test';
import { checkEnvironment } from '../../../src/api/lambda/function-config';
import { accountCipher, openEnvironment, SealError, sealEnvironment } from '../../../src/crypto/envelope';
import { SCHEMA_TABLE } from '../../../src/objects/storage/schema';
import type { FunctionRecord } from '../../../src/records/function';
import { createTenant, deploy, type Tenant } from '../support/signed-client';
import { storedText } from '../storage/tables';

const SECRET = 'hunter2-correct-horse-battery-staple';
const SECRET_NAME = 'DB_PASSWORD_ZQX';
const READS_SECRET = `exports.handler = async () => ({ secret: process.env.${SECRET_NAME} ?? null });`;
const KMS_KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
/** Another root key than the test Worker's (vitest.config.ts). */
const OTHER_ROOT = { FAASBOX_ENCRYPTION_KEY: 'YW5vdGhlciByb290IGtleSBvZiAzMiBieXRlcyEhISE=' };

const registryOf = (tenant: Tenant) => env.FUNCTIONS.get(env.FUNCTIONS.idFromName(tenant.accountId));

async function json(response: Response): Promise<Record<string, unknown>> {
  expect(response.status, await response.clone().text()).toBeLessThan(300);
  return (await response.json()) as Record<string, unknown>;
}

const invoke = (tenant: Tenant, name: string, qualifier = '') =>
  tenant.send('POST', `/2015-03-31/functions/${name}/invocations${qualifier && `?Qualifier=${qualifier}`}`, {});

/** Rewrites the stored record of `name` ($LATEST, or version `version`) with `change`, as other code would have stored it. */
async function rewriteRecord(tenant: Tenant, name: string, change: (record: Record<string, unknown>) => Record<string, unknown>, version?: number) {
  await runInDurableObject(registryOf(tenant), (_instance, state) => {
    const sql = state.storage.sql;
    const where = version === undefined ? ['functions', 'name = ?', [name]] as const : ['versions', 'name = ? AND version = ?', [name, version]] as const;
    const row = sql.exec<{ record: string }>(`SELECT record FROM ${where[0]} WHERE ${where[1]}`, ...where[2]).one();
    sql.exec(`UPDATE ${where[0]} SET record = ? WHERE ${where[1]}`, JSON.stringify(change(JSON.parse(row.record))), ...where[2]);
  });
}

describe('environment variables at rest', () => {
  it('reach the guest and the caller in clear, and appear nowhere in the registry\'s storage', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'keeper', READS_SECRET, { Environment: { Variables: { [SECRET_NAME]: SECRET, MODE: 'plain' } } });
    expect(await json(await invoke(tenant, 'keeper'))).toEqual({ secret: SECRET });

    const config = await json(await tenant.send('GET', '/2015-03-31/functions/keeper/configuration'));
    expect(config.Environment).toEqual({ Variables: { [SECRET_NAME]: SECRET, MODE: 'plain' } });
    expect(((await json(await tenant.send('GET', '/2015-03-31/functions/keeper'))).Configuration as Record<string, unknown>).Environment)
      .toEqual(config.Environment);
    const listed = (await json(await tenant.send('GET', '/2015-03-31/functions'))).Functions as Record<string, unknown>[];
    expect(listed.map((f) => f.Environment)).toEqual([config.Environment]);

    // A published version and an update carry their own sealed copies.
    expect((await json(await tenant.send('POST', '/2015-03-31/functions/keeper/versions', {}))).Environment).toEqual(config.Environment);
    const updated = await json(await tenant.send('PUT', '/2015-03-31/functions/keeper/configuration', { Environment: { Variables: { [SECRET_NAME]: `${SECRET}-2` } } }));
    expect(updated.Environment).toEqual({ Variables: { [SECRET_NAME]: `${SECRET}-2` } });
    expect(await json(await invoke(tenant, 'keeper', '1'))).toEqual({ secret: SECRET });
    expect(await json(await invoke(tenant, 'keeper'))).toEqual({ secret: `${SECRET}-2` });
    const versions = (await json(await tenant.send('GET', '/2015-03-31/functions/keeper/versions'))).Versions as Record<string, unknown>[];
    expect(versions.map((v) => v.Environment)).toEqual([{ Variables: { [SECRET_NAME]: `${SECRET}-2` } }, config.Environment]);

    const stored = await storedText(registryOf(tenant));
    expect(stored).toContain('keeper');
    expect(stored).not.toContain(SECRET);
    expect(stored).not.toContain(SECRET_NAME);
    expect(stored).not.toContain('plain');
    expect(stored).toMatch(/"sealedEnvironment\\":\\"fbx1\.[0-9a-f]{16}\./);
    // Nor anywhere else the account's invocations wrote (logs, metrics, traces, leases).
    const of = <T extends Rpc.DurableObjectBranded>(namespace: DurableObjectNamespace<T>) => namespace.get(namespace.idFromName(tenant.accountId));
    for (const stub of [of(env.LOGS), of(env.METRICS), of(env.TRACES), of(env.CONCURRENCY)]) expect(await storedText(stub)).not.toContain(SECRET);
  });

  it('an update to no variables leaves no sealed text; a function without variables needs none', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'bare', READS_SECRET);
    expect((await json(await tenant.send('GET', '/2015-03-31/functions/bare/configuration'))).Environment).toBeUndefined();
    await json(await tenant.send('PUT', '/2015-03-31/functions/bare/configuration', { Environment: { Variables: { [SECRET_NAME]: SECRET } } }));
    expect(await storedText(registryOf(tenant))).toContain('sealedEnvironment');
    await json(await tenant.send('PUT', '/2015-03-31/functions/bare/configuration', { Environment: {} }));
    expect(await storedText(registryOf(tenant))).not.toContain('sealedEnvironment');
    expect(await json(await invoke(tenant, 'bare'))).toEqual({ secret: null });
  });

  it('records stored in clear by earlier code still answer and invoke, and migration 2 encrypts them', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'old', READS_SECRET, { Publish: true });
    // As the code before encryption at rest stored them: `environment` in clear, schema version 1
    // (the later migrations, from 2 on, run again).
    const legacy = (record: Record<string, unknown>) => {
      const { sealedEnvironment: _none, ...rest } = record;
      return { ...rest, environment: { [SECRET_NAME]: SECRET } };
    };
    await rewriteRecord(tenant, 'old', legacy);
    await rewriteRecord(tenant, 'old', legacy, 1);
    await runInDurableObject(registryOf(tenant), (_instance, state) => state.storage.sql.exec(`DELETE FROM ${SCHEMA_TABLE} WHERE version >= 2`));
    expect(await storedText(registryOf(tenant))).toContain(SECRET);
    await evictDurableObject(registryOf(tenant));

    expect((await json(await tenant.send('GET', '/2015-03-31/functions/old/configuration'))).Environment).toEqual({ Variables: { [SECRET_NAME]: SECRET } });
    expect(await json(await invoke(tenant, 'old'))).toEqual({ secret: SECRET });
    expect(await json(await invoke(tenant, 'old', '1'))).toEqual({ secret: SECRET });
    const stored = await storedText(registryOf(tenant));
    expect(stored).not.toContain(SECRET);
    expect(stored).not.toContain(SECRET_NAME);

    // Idempotent: running the step again over encrypted records changes nothing.
    await runInDurableObject(registryOf(tenant), (_instance, state) => state.storage.sql.exec(`DELETE FROM ${SCHEMA_TABLE} WHERE version >= 2`));
    await evictDurableObject(registryOf(tenant));
    expect(await json(await invoke(tenant, 'old'))).toEqual({ secret: SECRET });
    expect((await storedText(registryOf(tenant))).replace(/"applied_at_ms":\d+/g, '')).toBe(stored.replace(/"applied_at_ms":\d+/g, ''));
  });

  it('keeps and shows KMSKeyArn, clears it with an empty one, and refuses one that is not an ARN', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'kms', READS_SECRET, { KMSKeyArn: KMS_KEY_ARN, Environment: { Variables: { [SECRET_NAME]: SECRET } } });
    expect((await json(await tenant.send('GET', '/2015-03-31/functions/kms/configuration'))).KMSKeyArn).toBe(KMS_KEY_ARN);
    // faasbox encrypts with its own key whatever the ARN names: the function runs as before.
    expect(await json(await invoke(tenant, 'kms'))).toEqual({ secret: SECRET });
    const other = KMS_KEY_ARN.replace('1234abcd', '9999ffff');
    expect((await json(await tenant.send('PUT', '/2015-03-31/functions/kms/configuration', { KMSKeyArn: other }))).KMSKeyArn).toBe(other);
    expect((await json(await tenant.send('PUT', '/2015-03-31/functions/kms/configuration', { Timeout: 5 }))).KMSKeyArn).toBe(other);
    const cleared = await json(await tenant.send('PUT', '/2015-03-31/functions/kms/configuration', { KMSKeyArn: '' }));
    expect(cleared).not.toHaveProperty('KMSKeyArn');
    expect(cleared.Environment).toEqual({ Variables: { [SECRET_NAME]: SECRET } });

    const refused = await tenant.send('PUT', '/2015-03-31/functions/kms/configuration', { KMSKeyArn: 'alias/my-key' });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('x-amzn-errortype')).toBe('ValidationException');
    expect(((await refused.json()) as { message: string }).message).toBe(
      "1 validation error detected: Value 'alias/my-key' at 'kMSKeyArn' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:[a-z0-9-.]+:.*)|()",
    );
  });

  it('variables sealed under another root key, or altered, fail closed with Lambda\'s KMS errors', async () => {
    const tenant = await createTenant();
    // A function per case: each rewrite is made behind the registry's back, which an isolate's
    // cache of resolved functions would not see for FAASBOX_FUNCTION_CACHE_SECONDS.
    const cases: [string, (record: Record<string, unknown>, name: string) => Promise<Record<string, unknown>>][] = [
      ['another root key', async (record, name) => ({ ...record, sealedEnvironment: await sealEnvironment(accountCipher(OTHER_ROOT, tenant.accountId), name, { [SECRET_NAME]: SECRET }) })],
      ['an altered text', async (record) => ({ ...record, sealedEnvironment: `${String(record.sealedEnvironment).slice(0, -6)}AAAA==` })],
      ['not a sealed text', async (record) => ({ ...record, sealedEnvironment: 'plain text' })],
    ];
    const names = cases.map((_, i) => `locked-${i}`);
    for (const [i, [label, change]] of cases.entries()) {
      const name = names[i];
      await deploy(tenant, name, READS_SECRET, { Environment: { Variables: { [SECRET_NAME]: SECRET } } });
      const original = await runInDurableObject(registryOf(tenant), (_i, state) => state.storage.sql.exec<{ record: string }>('SELECT record FROM functions WHERE name = ?', name).one().record);
      const changed = await change(JSON.parse(original), name);
      await rewriteRecord(tenant, name, () => changed);
      const response = await invoke(tenant, name);
      expect(response.status, label).toBe(502);
      expect(response.headers.get('x-amzn-errortype')).toBe('KMSAccessDeniedException');
      const body = (await response.json()) as Record<string, unknown>;
      expect(body).toEqual({ Type: 'User', Message: expect.stringMatching(/^Lambda was unable to decrypt the environment variables because KMS access was denied\. .*KMS Exception: .+\.$/) });
      expect(JSON.stringify(body)).not.toMatch(/at |\.ts|fbx1|[0-9a-f]{16}/);

      const config = await json(await tenant.send('GET', `/2015-03-31/functions/${name}/configuration`));
      expect(config.Environment, label).toEqual({ Error: { ErrorCode: 'AccessDeniedException', Message: body.Message } });
      expect(config.FunctionName).toBe(name);
    }
    // Nothing ran: no log group was written for the refused invocations.
    const logs = env.LOGS.get(env.LOGS.idFromName(tenant.accountId));
    for (const name of names) expect(await logs.hasGroup(`/aws/lambda/${name}`)).toBe(false);
  });
});

describe('secret access keys at rest', () => {
  const directory = () => env.ACCOUNTS.get(env.ACCOUNTS.idFromName('directory'));
  const listFunctions = (tenant: Tenant) => tenant.send('GET', '/2015-03-31/functions');
  const setStoredSecret = (tenant: Tenant, secret: string) => runInDurableObject(directory(), (_i, state) => {
    state.storage.sql.exec('UPDATE access_keys SET secret = ? WHERE access_key_id = ?', secret, tenant.accessKeyId);
  });

  it('are nowhere in the directory\'s storage, and still sign requests', async () => {
    const tenant = await createTenant();
    expect((await listFunctions(tenant)).status).toBe(200);
    const stored = await storedText(directory());
    expect(stored).toContain(tenant.accessKeyId);
    expect(stored).not.toContain(tenant.secretAccessKey);
  });

  it('stored in clear by earlier code still sign, and migration 2 encrypts them', async () => {
    const tenant = await createTenant();
    await setStoredSecret(tenant, tenant.secretAccessKey);
    // Schema version 1, as that code left it (the later migrations, from 2 on, run again).
    await runInDurableObject(directory(), (_i, state) => state.storage.sql.exec(`DELETE FROM ${SCHEMA_TABLE} WHERE version >= 2`));
    expect(await storedText(directory())).toContain(tenant.secretAccessKey);
    await evictDurableObject(directory());
    expect((await listFunctions(tenant)).status).toBe(200);
    expect(await storedText(directory())).not.toContain(tenant.secretAccessKey);
  });

  it('sealed under another root key fail closed: the key is refused with 403, no 5xx', async () => {
    const tenant = await createTenant();
    await setStoredSecret(tenant, await accountCipher(OTHER_ROOT, tenant.accountId).seal(tenant.secretAccessKey, `access-key:${tenant.accessKeyId}`));
    const refused = await listFunctions(tenant);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('x-amzn-errortype')).toBe('UnrecognizedClientException');
  });
});

describe('the account cipher', () => {
  const record = { name: 'f' } as FunctionRecord;

  it('opens only for the account and the function it sealed for', async () => {
    const cipher = accountCipher(env, '111111111111');
    const sealed = await sealEnvironment(cipher, record.name, { A: 'x' });
    expect(sealed).not.toBe(await sealEnvironment(cipher, record.name, { A: 'x' }));
    expect(await openEnvironment(cipher, record.name, sealed)).toEqual({ A: 'x' });
    await expect(openEnvironment(accountCipher(env, '222222222222'), record.name, sealed)).rejects.toMatchObject({ reason: 'corrupt' });
    await expect(openEnvironment(cipher, 'g', sealed)).rejects.toMatchObject({ reason: 'corrupt' });
    await expect(openEnvironment(accountCipher(OTHER_ROOT, '111111111111'), record.name, sealed)).rejects.toMatchObject({ reason: 'other-key' });
  });

  it('refuses to seal or open without a root key', async () => {
    const keyless = accountCipher({}, '111111111111');
    await expect(sealEnvironment(keyless, 'f', { A: 'x' })).rejects.toBeInstanceOf(SealError);
    await expect(keyless.open('fbx1.00.AA==', 'environment:f')).rejects.toMatchObject({ reason: 'no-key', message: expect.stringMatching(/^FAASBOX_ENCRYPTION_KEY is not set/) });
    // No variables need no key.
    expect(await sealEnvironment(keyless, 'f', {})).toBeUndefined();
    expect(await openEnvironment(keyless, 'f', undefined)).toEqual({});
    // CreateFunction and UpdateFunctionConfiguration refuse variables before anything is stored.
    expect(() => checkEnvironment({} as Env, { A: 'x' })).toThrow(/^Lambda was unable to configure access to your environment variables because faasbox has no encryption key configured/);
    expect(() => checkEnvironment({} as Env, {})).not.toThrow();
    expect(() => checkEnvironment(env, { A: 'x' })).not.toThrow();
  });
});
