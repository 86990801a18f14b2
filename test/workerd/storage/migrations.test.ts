// Storage made by the code before the storage kit (today's tables, no schema version) is adopted
// by migration 1 of every object: the same tables and indexes, every row kept and readable.
import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { evictDurableObject, runInDurableObject } from 'cloudflare:test';
import { SCHEMA_TABLE } from '../../../src/objects/storage/schema';
import { LEGACY_DDL, LEGACY_ROWS, type ObjectBinding } from './legacy-schema';
import { ownTables, rowCounts, schemaOf } from './tables';

type AnyStub = DurableObjectStub;
/** Versions past migration 1 each object's schema has. */
const LATER_VERSIONS: Partial<Record<ObjectBinding, number[]>> = { FUNCTIONS: [2, 3, 4], ACCOUNTS: [2, 3, 4], QUEUES: [2, 3], LOGS: [2], CONCURRENCY: [2], METRICS: [2] };
/**
 * Tables later steps add, empty after the migration (FunctionRegistry migration 3: saved test
 * events; LogStore and ConcurrencyLimiter migration 2: a playground sandbox's budgets and quotas;
 * MetricsStore migration 2: the ids of written batches).
 */
const LATER_TABLES: Partial<Record<ObjectBinding, string[]>> = { FUNCTIONS: ['test_events', 'layer_versions', 'layer_counters', 'layer_policies'], LOGS: ['store_limits'], CONCURRENCY: ['sandbox'], METRICS: ['applied_batches'] };
/** What later steps change in the legacy tables (the others' later steps only move data). */
const LATER_DDL: Partial<Record<ObjectBinding, (schema: Record<string, string>) => Record<string, string>>> = {
  // QueueStore migration 2: the marker of sealed messages; migration 3: queues' tags.
  QUEUES: (schema) => ({
    ...schema,
    messages: schema.messages.replace(/\)$/, ', sealed INTEGER NOT NULL DEFAULT 0)'),
    queues: schema.queues.replace(/\)$/, ', tags TEXT)'),
  }),
  // AccountDirectory migration 3: the playground flag; migration 4: a key's IAM user and status.
  ACCOUNTS: (schema) => ({
    ...schema,
    accounts: schema.accounts.replace(/\)$/, ', playground INTEGER NOT NULL DEFAULT 0)'),
    access_keys: schema.access_keys.replace(/\)$/, ", user_name TEXT, user_id TEXT, user_path TEXT, status TEXT NOT NULL DEFAULT 'Active')"),
  }),
};
const stubOf = (binding: ObjectBinding, name: string) => {
  const namespace = env[binding] as unknown as DurableObjectNamespace;
  return namespace.get(namespace.idFromName(name));
};

/** Replaces the object's storage with what the old code left: its DDL and one row per table. */
async function plantLegacyState(stub: AnyStub, binding: ObjectBinding): Promise<Record<string, string>> {
  const schema = await runInDurableObject(stub, (_instance, state) => {
    const sql = state.storage.sql;
    for (const table of ownTables(sql)) sql.exec(`DROP TABLE ${table}`);
    for (const statement of LEGACY_DDL[binding]) sql.exec(statement);
    for (const row of LEGACY_ROWS[binding]) sql.exec(row);
    return schemaOf(sql);
  });
  // A new instance: its constructor finds the old tables and no schema version.
  await evictDurableObject(stub);
  return schema;
}

describe('storage made before schema versions', () => {
  for (const binding of Object.keys(LEGACY_DDL) as ObjectBinding[]) {
    it(`${binding}: migration 1 adopts the tables as they are and keeps every row (later steps too)`, async () => {
      const stub = stubOf(binding, `legacy-${binding}`);
      const before = await plantLegacyState(stub, binding);
      const after = await runInDurableObject(stub, (_instance, state) => ({
        schema: schemaOf(state.storage.sql),
        versions: state.storage.sql.exec<{ version: number }>(`SELECT version FROM ${SCHEMA_TABLE}`).toArray().map((r) => r.version),
      }));
      const { [SCHEMA_TABLE]: versionTable, ...schema } = after.schema;
      const laterTables = LATER_TABLES[binding] ?? [];
      const adopted = Object.fromEntries(Object.entries(schema).filter(([name]) => !laterTables.includes(name)));
      expect(Object.keys(schema).filter((name) => laterTables.includes(name)).sort()).toEqual([...laterTables].sort());
      expect(adopted).toEqual(LATER_DDL[binding]?.(before) ?? before);
      expect(versionTable).toBeDefined();
      expect(after.versions).toEqual([1, ...(LATER_VERSIONS[binding] ?? [])]);
      const legacyTables = LEGACY_DDL[binding].filter((ddl) => ddl.startsWith('CREATE TABLE')).map((ddl) => ddl.split(/[ (]/)[5]);
      const counts = await rowCounts(stub);
      const expected = { ...Object.fromEntries(legacyTables.map((table) => [table, 1])), ...Object.fromEntries(laterTables.map((table) => [table, 0])) };
      expect(counts).toEqual(expected);
    });
  }

  it('the old rows answer through the objects as before', async () => {
    const planted = async <B extends ObjectBinding>(binding: B) => {
      const stub = stubOf(binding, `answers-${binding}`);
      await plantLegacyState(stub, binding);
      return (env[binding] as unknown as DurableObjectNamespace).idFromName(`answers-${binding}`);
    };
    const registry = env.FUNCTIONS.get(await planted('FUNCTIONS'));
    expect((await registry.get('legacy'))?.codeKey).toBe('code/legacy.zip');
    expect((await registry.resolve('legacy', 'live', 'primary'))?.executedVersion).toBe('1');
    expect((await registry.getFunctionUrl('legacy', ''))?.urlId).toBe('legacyurlid');
    expect((await registry.getPolicy('legacy', '$LATEST'))?.revisionId).toBe('p1');

    const directory = env.ACCOUNTS.get(await planted('ACCOUNTS'));
    expect((await directory.findAccessKey('AKIALEGACY0000000000'))?.accountId).toBe('123456789012');
    expect(await directory.findFunctionUrl('legacyurlid')).toMatchObject({ functionName: 'legacy', qualifier: '' });

    const limiter = env.CONCURRENCY.get(await planted('CONCURRENCY'));
    expect(await limiter.snapshot()).toMatchObject({ accountLimit: 500, reservations: { legacy: 5 }, activeByFunction: { legacy: 1 } });

    const queues = env.QUEUES.get(await planted('QUEUES'));
    expect((await queues.getQueue('legacy-q'))?.settings.visibilityTimeoutSeconds).toBe(30);
    await runInDurableObject(queues, (_i, state) => state.storage.sql.exec('UPDATE messages SET sent_at = ?, visible_at = 0', Date.now()));
    expect(await queues.receiveMessages('legacy-q')).toMatchObject({ ok: true, value: [{ messageId: 'm1', body: 'body', md5OfBody: 'md5' }] });

    const logs = env.LOGS.get(await planted('LOGS'));
    expect((await logs.readEvents('/aws/lambda/legacy')).map((e) => e.message)).toEqual(['hello']);

    const mappings = env.EVENT_SOURCE_MAPPINGS.get(await planted('EVENT_SOURCE_MAPPINGS'));
    expect((await mappings.get('uuid-1'))?.functionName).toBe('legacy');
  });

  it('a constructed object does not migrate again', async () => {
    const stub = stubOf('TRACES', 'legacy-TRACES-twice');
    await plantLegacyState(stub, 'TRACES');
    await runInDurableObject(stub, () => undefined);
    await evictDurableObject(stub);
    const versions = await runInDurableObject(stub, (_instance, state) =>
      state.storage.sql.exec<{ version: number }>(`SELECT version FROM ${SCHEMA_TABLE}`).toArray().map((r) => r.version));
    expect(versions).toEqual([1]);
  });
});
