// The `function_urls` table of a FunctionRegistry: URL configs by function and qualifier ('' for
// the unqualified function). The global url-id index is the AccountDirectory's.
import type { FunctionUrlRecord } from '../../records/function-url';
import { jsonColumn, type Sql } from '../storage/rows';

const config = jsonColumn<FunctionUrlRecord>('config');

export class UrlsTable {
  constructor(private readonly db: Sql) {}

  get(functionName: string, qualifier: string): FunctionUrlRecord | undefined {
    return config.one(this.db, 'SELECT config FROM function_urls WHERE function_name = ? AND qualifier = ?', functionName, qualifier);
  }

  insert(value: FunctionUrlRecord): void {
    this.db.run('INSERT INTO function_urls VALUES (?, ?, ?, ?)', value.functionName, value.qualifier, value.urlId, config.encode(value));
  }

  replace(value: FunctionUrlRecord): void {
    this.db.run('UPDATE function_urls SET config = ? WHERE function_name = ? AND qualifier = ?', config.encode(value), value.functionName, value.qualifier);
  }

  /** A function's URL configs in qualifier order after `after` (all when undefined), at most `limit`. */
  page(functionName: string, after: string | undefined, limit: number): FunctionUrlRecord[] {
    return config.all(
      this.db,
      'SELECT config FROM function_urls WHERE function_name = ? AND (? IS NULL OR qualifier > ?) ORDER BY qualifier LIMIT ?',
      functionName, after ?? null, after ?? null, limit,
    );
  }

  /**
   * Removes the URL configs of a function (one qualifier, or all of them), or of every function
   * when `functionName` is undefined. Returns their url-ids, for the global index.
   */
  delete(functionName?: string, qualifier?: string): string[] {
    const where = functionName === undefined ? '' : qualifier === undefined ? ' WHERE function_name = ?' : ' WHERE function_name = ? AND qualifier = ?';
    const bindings = [functionName, qualifier].filter((b) => b !== undefined);
    const ids = this.db.all<{ url_id: string }>(`SELECT url_id FROM function_urls${where}`, ...bindings).map((r) => r.url_id);
    this.db.run(`DELETE FROM function_urls${where}`, ...bindings);
    return ids;
  }
}
