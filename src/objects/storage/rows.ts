// The storage kit's row helpers: typed one/all reads and writes over a Durable Object's
// `ctx.storage.sql`, and typed JSON columns, so no object writes `.toArray()[0]` or
// `JSON.parse(row.x) as T` by hand. Synchronous, like the SQL API under them.

/** A row as SQLite hands it back: column name -> value. */
export type Row = Record<string, SqlStorageValue>;

/**
 * An object's SQLite storage. Does not own the connection (the object's `ctx.storage` does).
 * @example const fn = db.one<{ name: string }>('SELECT name FROM functions WHERE name = ?', name);
 */
export class Sql {
  constructor(readonly sql: SqlStorage) {}

  /** The first row `query` yields, or undefined when it yields none. */
  one<R extends Row>(query: string, ...bindings: SqlStorageValue[]): R | undefined {
    return this.sql.exec<R>(query, ...bindings).toArray()[0];
  }

  /** The one row `query` yields (an aggregate); throws when it yields none or several. */
  single<R extends Row>(query: string, ...bindings: SqlStorageValue[]): R {
    return this.sql.exec<R>(query, ...bindings).one();
  }

  /** Every row `query` yields, in its order. */
  all<R extends Row>(query: string, ...bindings: SqlStorageValue[]): R[] {
    return this.sql.exec<R>(query, ...bindings).toArray();
  }

  /** Whether `query` yields at least one row. */
  exists(query: string, ...bindings: SqlStorageValue[]): boolean {
    return this.sql.exec(query, ...bindings).toArray().length > 0;
  }

  /** Runs a statement (or several, without bindings); returns the number of rows it wrote. */
  run(query: string, ...bindings: SqlStorageValue[]): number {
    return this.sql.exec(query, ...bindings).rowsWritten;
  }
}

/**
 * A TEXT column holding one JSON document of type `T`, declared once next to its table:
 * reading it back needs no cast at the call site.
 * @example
 * const record = jsonColumn<FunctionRecord>('record');
 * record.one(db, 'SELECT record FROM functions WHERE name = ?', name); // FunctionRecord | undefined
 * db.run('INSERT INTO functions VALUES (?, ?)', name, record.encode(value));
 */
export class JsonColumn<T> {
  constructor(readonly name: string) {}

  encode(value: T): string {
    return JSON.stringify(value);
  }

  /** The column's document in `row`; throws when the row lacks the column (a query that did not select it). */
  decode(row: Row): T {
    const text = row[this.name];
    if (typeof text !== 'string') throw new TypeError(`column ${this.name} is not in the row or not TEXT`);
    return JSON.parse(text) as T;
  }

  /** The column's document in the first row of `query`, or undefined when there is no row. */
  one(db: Sql, query: string, ...bindings: SqlStorageValue[]): T | undefined {
    const row = db.one(query, ...bindings);
    return row && this.decode(row);
  }

  /** The column's document in every row of `query`. */
  all(db: Sql, query: string, ...bindings: SqlStorageValue[]): T[] {
    return db.all(query, ...bindings).map((row) => this.decode(row));
  }
}

/** @example const settings = jsonColumn<QueueSettings>('settings'); */
export function jsonColumn<T>(name: string): JsonColumn<T> {
  return new JsonColumn<T>(name);
}
