// The `test_events` table of a FunctionRegistry: each function's saved test events, the event
// text sealed (it can hold secrets), so this module never sees it in clear.
import type { Sql } from '../storage/rows';

/** A stored row: `sealedEvent` is the event's JSON text sealed under the account's data key. */
export interface StoredTestEvent {
  name: string;
  sealedEvent: string;
  lastModified: string;
}

type Row = { name: string; sealed_event: string; last_modified: string };

/** What a sealed event is bound to: a sealed text copied to another function or name does not open. */
export const testEventContext = (functionName: string, name: string) => `test-event:${functionName}:${name}`;

export class TestEventsTable {
  constructor(private readonly db: Sql) {}

  /** The function's test events in name order. */
  list(functionName: string): StoredTestEvent[] {
    return this.db
      .all<Row>('SELECT name, sealed_event, last_modified FROM test_events WHERE function_name = ? ORDER BY name', functionName)
      .map((row) => ({ name: row.name, sealedEvent: row.sealed_event, lastModified: row.last_modified }));
  }

  has(functionName: string, name: string): boolean {
    return this.db.exists('SELECT 1 FROM test_events WHERE function_name = ? AND name = ?', functionName, name);
  }

  count(functionName: string): number {
    return this.db.single<{ n: number }>('SELECT COUNT(*) AS n FROM test_events WHERE function_name = ?', functionName).n;
  }

  /** Creates or replaces the event `value.name` of the function. */
  put(functionName: string, value: StoredTestEvent): void {
    this.db.run('INSERT OR REPLACE INTO test_events VALUES (?, ?, ?, ?)', functionName, value.name, value.sealedEvent, value.lastModified);
  }

  /**
   * Removes one event of a function, every event of it (`name` undefined), or every event of the
   * account (both undefined). Returns the number of rows removed.
   */
  delete(functionName?: string, name?: string): number {
    if (functionName === undefined) return this.db.run('DELETE FROM test_events');
    if (name === undefined) return this.db.run('DELETE FROM test_events WHERE function_name = ?', functionName);
    return this.db.run('DELETE FROM test_events WHERE function_name = ? AND name = ?', functionName, name);
  }
}
