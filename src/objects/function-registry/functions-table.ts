// The `functions` table of a FunctionRegistry: each function's $LATEST configuration.
import type { FunctionRecord } from '../../records/function';
import { jsonColumn, type Sql } from '../storage/rows';

const record = jsonColumn<FunctionRecord>('record');

export class FunctionsTable {
  constructor(private readonly db: Sql) {}

  get(name: string): FunctionRecord | undefined {
    return record.one(this.db, 'SELECT record FROM functions WHERE name = ?', name);
  }

  insert(value: FunctionRecord): void {
    this.db.run('INSERT INTO functions VALUES (?, ?)', value.name, record.encode(value));
  }

  replace(value: FunctionRecord): void {
    this.db.run('UPDATE functions SET record = ? WHERE name = ?', record.encode(value), value.name);
  }

  /** Functions in name order after `after`, at most `limit`. */
  page(after: string, limit: number): FunctionRecord[] {
    return record.all(this.db, 'SELECT record FROM functions WHERE name > ? ORDER BY name LIMIT ?', after, limit);
  }

  all(): FunctionRecord[] {
    return record.all(this.db, 'SELECT record FROM functions');
  }

  /** Removes `name`, or every function when `name` is undefined. */
  delete(name?: string): void {
    if (name === undefined) this.db.run('DELETE FROM functions');
    else this.db.run('DELETE FROM functions WHERE name = ?', name);
  }
}
