// The storage kit's schemas: each Durable Object declares its tables once, as a numbered list
// of migrations, and opens its storage through `openStorage`, which applies the pending steps in
// order (each in a transaction, inside blockConcurrencyWhile, so no request sees a half-made
// schema) and keeps the applied version in a table of its own, `schema_migrations`.
import { Sql } from './rows';

/** The table that records which migrations an object's storage has had. */
export const SCHEMA_TABLE = 'schema_migrations';

/**
 * One step of a schema. Migration 1 of every object is the schema it had before versioning,
 * written with IF NOT EXISTS so storage made by that code is adopted as it is.
 */
export type Migration = {
  version: number;
  description: string;
} & (
  | {
    /** SQL (several statements allowed, no bindings), or a function for steps that move data. */
    up: string | ((sql: SqlStorage) => void);
  }
  | {
    /**
     * A data step that must await before it writes (Web Crypto is async only): reads, awaits, and
     * returns the writes, which run in the step's transaction. Nothing else touches the storage in
     * between (blockConcurrencyWhile). Must be idempotent, like every data step.
     */
    prepare: (sql: SqlStorage) => Promise<(sql: SqlStorage) => void>;
  }
);

export interface Schema {
  readonly migrations: readonly Migration[];
  /** The version storage has once every migration is applied. */
  readonly version: number;
}

/** Declares a schema; throws at module load when the steps are not numbered 1, 2, 3... */
export function defineSchema(...migrations: Migration[]): Schema {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${i + 1} is numbered ${m.version}: migrations are numbered 1, 2, 3... in order`);
  });
  return { migrations, version: migrations.length };
}

/** The version `storage` is at (0: never migrated, which includes storage made before versioning). */
export function schemaVersion(sql: SqlStorage): number {
  sql.exec(`CREATE TABLE IF NOT EXISTS ${SCHEMA_TABLE} (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at_ms INTEGER NOT NULL)`);
  return sql.exec<{ v: number | null }>(`SELECT MAX(version) AS v FROM ${SCHEMA_TABLE}`).one().v ?? 0;
}

/**
 * Applies the migrations `storage` has not had, in order, each with its version row in one
 * transaction (a failing step leaves the storage at the step before). Refuses storage written
 * by a newer schema than this code knows, rather than misread it. Resolves to the version;
 * call it inside blockConcurrencyWhile (openStorage does).
 */
export async function migrate(storage: DurableObjectStorage, schema: Schema): Promise<number> {
  const current = schemaVersion(storage.sql);
  if (current > schema.version) throw new Error(`storage is at schema version ${current}; this code knows versions up to ${schema.version}`);
  for (const step of schema.migrations.slice(current)) {
    const writes = 'prepare' in step ? await step.prepare(storage.sql) : step.up;
    storage.transactionSync(() => {
      if (typeof writes === 'string') storage.sql.exec(writes);
      else writes(storage.sql);
      storage.sql.exec(`INSERT INTO ${SCHEMA_TABLE} VALUES (?, ?, ?)`, step.version, step.description, Date.now());
    });
  }
  return schema.version;
}

/**
 * An object's storage, migrated to `schema` before any request reaches the object; `load` then
 * reads what the object caches in memory. Call once, in the constructor.
 * @example this.db = openStorage(ctx, SCHEMA, (db) => this.load(db));
 */
export function openStorage(ctx: DurableObjectState, schema: Schema, load?: (db: Sql) => void): Sql {
  const db = new Sql(ctx.storage.sql);
  void ctx.blockConcurrencyWhile(async () => {
    await migrate(ctx.storage, schema);
    load?.(db);
  });
  return db;
}
