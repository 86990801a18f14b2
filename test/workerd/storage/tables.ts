// Reads a Durable Object's SQLite directly (runInDurableObject): its tables, their rows and its
// schema, so storage tests need no test-only RPC method on the objects.
import { runInDurableObject } from 'cloudflare:test';
import { SCHEMA_TABLE } from '../../../src/objects/storage/schema';

/** The object's own tables: not SQLite's (sqlite_sequence) nor the runtime's (_cf_*). */
const OWN_TABLES = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' ORDER BY name";

export function ownTables(sql: SqlStorage): string[] {
  return sql.exec<{ name: string }>(OWN_TABLES).toArray().map((r) => r.name);
}

/** Rows per table of the object behind `stub`, without the schema version table. */
export function rowCounts(stub: DurableObjectStub): Promise<Record<string, number>> {
  return runInDurableObject(stub, (_instance, state) => Object.fromEntries(
    ownTables(state.storage.sql)
      .filter((t) => t !== SCHEMA_TABLE)
      .map((t) => [t, state.storage.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM ${t}`).one().n]),
  ));
}

/** Every table and index with its DDL as SQLite keeps it. */
export function schemaOf(sql: SqlStorage): Record<string, string> {
  return Object.fromEntries(sql
    .exec<{ name: string; sql: string | null }>("SELECT name, sql FROM sqlite_master WHERE type IN ('table', 'index') AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'")
    .toArray()
    .map((r) => [r.name, r.sql ?? '']));
}

/** Every row of every table of the object behind `stub` (the schema version table too), as JSON text to search. */
export function storedText(stub: DurableObjectStub): Promise<string> {
  return runInDurableObject(stub, (_instance, state) => JSON.stringify(
    ownTables(state.storage.sql).map((t) => [t, state.storage.sql.exec(`SELECT * FROM ${t}`).toArray()]),
  ));
}
