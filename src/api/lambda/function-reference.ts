// The function a Lambda route names: the `:name` path parameter and the `Qualifier` query
// parameter together, parsed once.
import type { Context } from 'hono';
import { functionNotFound, invalidParameter } from '../../errors';
import { functionArn, parseFunctionReference, type Caller, type FunctionReference } from '../../function-names';
import type { FunctionRecord } from '../../records/function';
import type { AppContext } from '../../protocols/request-context';
import { getLatestFunction } from '../../services/functions';

/**
 * The `:name` path parameter and the `Qualifier` query parameter together; a qualifier in the
 * name (`fn:live`) must agree with the query's, as in Lambda. `owner` is the account the name
 * must be in (the caller's; for a cross-account Invoke, the one IAM allowed: functionOwner).
 */
export function functionReference(c: Context<AppContext>, owner: Caller = c.get('caller')): FunctionReference {
  const ref = parseFunctionReference(c.req.param('name')!, owner);
  const query = c.req.query('Qualifier') || undefined;
  if (ref.qualifier !== undefined && query !== undefined && ref.qualifier !== query) {
    throw invalidParameter('The derived qualifier from the function name does not match the specified qualifier.');
  }
  return { name: ref.name, qualifier: ref.qualifier ?? query };
}

/**
 * The account whose function the route may reach: the caller's own, or another account whose
 * function's resource policy IAM found allowing this request (the guard of src/api/lambda/access.ts).
 */
export function functionOwner(c: Context<AppContext>): Caller {
  const caller = c.get('caller');
  const other = c.get('authorizedAccountId');
  return other === undefined ? caller : { accountId: other, region: caller.region };
}

/** The $LATEST record of the function named by the `:name` path parameter, or ResourceNotFoundException. */
export async function findFunction(c: Context<AppContext>): Promise<FunctionRecord> {
  const { name, qualifier } = functionReference(c);
  return getLatestFunction(c.env, c.get('caller'), name, qualifier);
}

/** The function name of a path that takes no qualifier (versions, aliases). */
export function unqualifiedName(c: Context<AppContext>): string {
  const { name, qualifier } = functionReference(c);
  if (qualifier !== undefined) throw functionNotFound(functionArn(c.get('caller'), name, qualifier));
  return name;
}
