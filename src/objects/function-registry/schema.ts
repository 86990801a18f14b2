// The FunctionRegistry's SQLite schema, declared once: its table modules (functions, versions
// and aliases, URLs, policies, test events, layers) share one object's storage, so a delete is atomic.
import { sealEnvironment, type AccountCipher } from '../../crypto/envelope';
import type { FunctionRecord } from '../../records/function';
import { defineSchema, type Schema } from '../storage/schema';

/** A record as code before encryption at rest wrote it: the variables in clear. */
type ClearRecord = FunctionRecord & { environment?: Record<string, string> };

/** The registry's schema; `cipher` is the account's (migration 2 encrypts what older code stored in clear). */
export function registrySchema(cipher: AccountCipher): Schema {
  return defineSchema(
    {
      version: 1,
      description: 'functions, versions, version counters, aliases, function URLs and policies (the schema before versioning)',
      up: `
        CREATE TABLE IF NOT EXISTS functions (name TEXT PRIMARY KEY, record TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS versions (
          name TEXT NOT NULL, version INTEGER NOT NULL, code_key TEXT NOT NULL, record TEXT NOT NULL, PRIMARY KEY (name, version));
        CREATE TABLE IF NOT EXISTS version_counters (name TEXT PRIMARY KEY, last_version INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS aliases (name TEXT NOT NULL, alias TEXT NOT NULL, record TEXT NOT NULL, PRIMARY KEY (name, alias));
        CREATE TABLE IF NOT EXISTS function_urls (
          function_name TEXT NOT NULL, qualifier TEXT NOT NULL, url_id TEXT NOT NULL UNIQUE, config TEXT NOT NULL,
          PRIMARY KEY (function_name, qualifier));
        CREATE TABLE IF NOT EXISTS function_policies (
          function_name TEXT NOT NULL, qualifier TEXT NOT NULL, policy TEXT NOT NULL, PRIMARY KEY (function_name, qualifier));`,
    },
    {
      version: 2,
      description: 'environment variables encrypted at rest ($LATEST and every version)',
      // Idempotent: only records still holding `environment` in clear are rewritten.
      async prepare(sql) {
        const rewrites: { table: 'functions' | 'versions'; rowid: number; record: string }[] = [];
        for (const table of ['functions', 'versions'] as const) {
          for (const row of sql.exec<{ rowid: number; record: string }>(`SELECT rowid, record FROM ${table}`).toArray()) {
            const { environment, ...record } = JSON.parse(row.record) as ClearRecord;
            if (environment === undefined) continue;
            const sealedEnvironment = await sealEnvironment(cipher, record.name, environment);
            rewrites.push({ table, rowid: row.rowid, record: JSON.stringify({ ...record, ...(sealedEnvironment !== undefined && { sealedEnvironment }) }) });
          }
        }
        return (db) => {
          for (const { table, rowid, record } of rewrites) db.exec(`UPDATE ${table} SET record = ? WHERE rowid = ?`, record, rowid);
        };
      },
    },
    {
      version: 3,
      description: 'saved test events per function (the console Test tab), the event text sealed',
      up: `
        CREATE TABLE IF NOT EXISTS test_events (
          function_name TEXT NOT NULL, name TEXT NOT NULL, sealed_event TEXT NOT NULL, last_modified TEXT NOT NULL,
          PRIMARY KEY (function_name, name));`,
    },
    {
      version: 4,
      description: 'layer versions with their counters and resource policies (docs/LAYERS.md)',
      up: `
        CREATE TABLE IF NOT EXISTS layer_versions (layer_name TEXT NOT NULL, version INTEGER NOT NULL, record TEXT NOT NULL, PRIMARY KEY (layer_name, version));
        CREATE TABLE IF NOT EXISTS layer_counters (layer_name TEXT PRIMARY KEY, last_version INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS layer_policies (
          layer_name TEXT NOT NULL, version INTEGER NOT NULL, policy TEXT NOT NULL, PRIMARY KEY (layer_name, version));`,
    },
  );
}
