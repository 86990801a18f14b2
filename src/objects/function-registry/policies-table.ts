// The `function_policies` table of a FunctionRegistry: each function's (or alias's, version's)
// resource policy. $LATEST and the unqualified function share one policy.
import type { PolicyStatement, ResourcePolicy } from '../../records/function-url';
import { jsonColumn, type Sql } from '../storage/rows';

const policy = jsonColumn<ResourcePolicy>('policy');

/** $LATEST and the unqualified function share one policy, as they are one and the same code. */
function policyQualifier(qualifier: string): string {
  return qualifier === '$LATEST' ? '' : qualifier;
}

export class PoliciesTable {
  constructor(private readonly db: Sql) {}

  get(functionName: string, qualifier: string): ResourcePolicy | undefined {
    return policy.one(this.db, 'SELECT policy FROM function_policies WHERE function_name = ? AND qualifier = ?', functionName, policyQualifier(qualifier));
  }

  /** Stores the statements under a new RevisionId; no statements means no policy (GetPolicy 404). */
  write(functionName: string, qualifier: string, statements: PolicyStatement[]): ResourcePolicy {
    qualifier = policyQualifier(qualifier);
    const value: ResourcePolicy = { statements, revisionId: crypto.randomUUID() };
    if (statements.length === 0) {
      this.db.run('DELETE FROM function_policies WHERE function_name = ? AND qualifier = ?', functionName, qualifier);
    } else {
      this.db.run('INSERT OR REPLACE INTO function_policies VALUES (?, ?, ?)', functionName, qualifier, policy.encode(value));
    }
    return value;
  }

  /** Removes the policies of a function (one qualifier, or all), or of every function when `functionName` is undefined. */
  delete(functionName?: string, qualifier?: string): void {
    if (functionName === undefined) this.db.run('DELETE FROM function_policies');
    else if (qualifier === undefined) this.db.run('DELETE FROM function_policies WHERE function_name = ?', functionName);
    else this.db.run('DELETE FROM function_policies WHERE function_name = ? AND qualifier = ?', functionName, qualifier);
  }
}
