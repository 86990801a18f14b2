// The function a Lambda route names: the `:name` path parameter and the `Qualifier` query
// parameter together, parsed once.
import type { Context } from 'hono';
import { routePath } from 'hono/route';
import { functionNotFound, invalidParameter, validationErrors } from '../../errors';
import {
  functionArn, functionNameViolations, parseFunctionReference, qualifierViolations, type Caller, type FunctionNameShape, type FunctionReference,
} from '../../function-names';
import type { FunctionRecord } from '../../records/function';
import type { AppContext } from '../../protocols/request-context';
import { getLatestFunction } from '../../services/functions';

/** What an operation's `{FunctionName}` path parameter may be, and whether it takes `?Qualifier=` (botocore's model). */
interface NameParameter {
  shape: FunctionNameShape;
  qualifier: boolean;
}

const FUNCTIONS = '/2015-03-31/functions/:name';
const EVENT_INVOKE_CONFIG = '/2019-09-25/functions/:name/event-invoke-config';
const NAMESPACED_QUALIFIED: NameParameter = { shape: 'NamespacedFunctionName', qualifier: true };
const NAMESPACED: NameParameter = { shape: 'NamespacedFunctionName', qualifier: false };
const PLAIN: NameParameter = { shape: 'FunctionName', qualifier: false };

/** The routes whose FunctionName is not the plain `FunctionName` shape without a Qualifier. */
const NAME_PARAMETERS: Readonly<Record<string, NameParameter>> = {
  [`GET ${FUNCTIONS}`]: NAMESPACED_QUALIFIED,
  [`DELETE ${FUNCTIONS}`]: NAMESPACED_QUALIFIED,
  [`GET ${FUNCTIONS}/configuration`]: NAMESPACED_QUALIFIED,
  [`POST ${FUNCTIONS}/invocations`]: NAMESPACED_QUALIFIED,
  [`GET ${FUNCTIONS}/versions`]: NAMESPACED,
  [`POST ${FUNCTIONS}/policy`]: NAMESPACED_QUALIFIED,
  [`GET ${FUNCTIONS}/policy`]: NAMESPACED_QUALIFIED,
  [`DELETE ${FUNCTIONS}/policy/:sid`]: NAMESPACED_QUALIFIED,
  [`PUT ${EVENT_INVOKE_CONFIG}`]: NAMESPACED_QUALIFIED,
  [`POST ${EVENT_INVOKE_CONFIG}`]: NAMESPACED_QUALIFIED,
  [`GET ${EVENT_INVOKE_CONFIG}`]: NAMESPACED_QUALIFIED,
  [`DELETE ${EVENT_INVOKE_CONFIG}`]: NAMESPACED_QUALIFIED,
  [`GET ${EVENT_INVOKE_CONFIG}/list`]: NAMESPACED,
};

/** The FunctionName shape and Qualifier of the route `c` is answered by. */
function nameParameter(c: Context<AppContext>): NameParameter {
  return NAME_PARAMETERS[`${c.req.method} ${routePath(c, -1)}`] ?? PLAIN;
}

/**
 * The `:name` path parameter and the `Qualifier` query parameter together, each checked against
 * the operation's constraints (all violations in one ValidationException, as AWS counts them); a
 * qualifier in the name (`fn:live`) must agree with the query's, as in Lambda. `owner` is the
 * account the name must be in (the caller's; for a cross-account Invoke, the one IAM allowed:
 * functionOwner).
 */
export function functionReference(c: Context<AppContext>, owner: Caller = c.get('caller')): FunctionReference {
  const raw = c.req.param('name')!;
  const parameter = nameParameter(c);
  const query = c.req.query('Qualifier') || undefined;
  const violations = [
    ...functionNameViolations(raw, parameter.shape),
    ...(parameter.qualifier && query !== undefined ? qualifierViolations(query) : []),
  ];
  if (violations.length > 0) throw validationErrors(violations);
  const ref = parseFunctionReference(raw, owner, 'functionName', parameter.shape);
  if (ref.qualifier !== undefined && query !== undefined && ref.qualifier !== query) {
    throw invalidParameter('The derived qualifier from the function name does not match the specified qualifier.');
  }
  const qualifier = ref.qualifier ?? query;
  return qualifier === undefined ? { name: ref.name } : { name: ref.name, qualifier };
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
