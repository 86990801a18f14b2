// The `:name` function and its Qualifier (path suffix or ?Qualifier=) for the URL and policy
// operations: the unqualified function, an alias (for policies also $LATEST or a version) that exists.
import type { Context } from 'hono';
import type { AppContext } from '../../protocols/request-context';
import { functionNotFound, type LambdaError, validationError } from '../../errors';
import { functionArn, FUNCTION_NAME_SHAPES } from '../../function-names';
import type { FunctionRecord } from '../../records/function';
import { functionRegistry } from '../../bindings';
import { resolveFunction } from '../../services/resolve-function';
import { functionReference } from './function-reference';

/** Qualifier patterns of the operations: a URL's is an alias only (no version number, no $LATEST), as Lambda answers (a policy's: function-reference.ts). */
const QUALIFIER_PATTERNS = {
  url: '((?!^\\d+$)^[0-9a-zA-Z-_]+$)',
};

/**
 * What an operation answers, in AWS's words, when the function (`arn` unqualified) or the
 * version or alias its qualifier names (`arn` qualified) does not exist. Lambda's own default:
 * "Function not found: <arn>".
 */
export type MissingFunctionAnswer = (arn: string, missing: 'function' | 'version' | 'alias') => LambdaError;

/**
 * The function and the qualifier ('' when none was given). `kind` selects the Qualifier pattern;
 * 'none' refuses any qualifier (ListFunctionUrlConfigs takes the unqualified name only).
 */
export async function findQualifiedFunction(
  c: Context<AppContext>,
  kind: 'url' | 'policy' | 'none',
  missing: MissingFunctionAnswer = functionNotFound,
): Promise<{ record: FunctionRecord; qualifier: string }> {
  const caller = c.get('caller');
  const ref = functionReference(c);
  if (kind === 'none' && ref.qualifier !== undefined) {
    throw validationError(c.req.param('name')!, 'functionName', `Member must satisfy regular expression pattern: ${FUNCTION_NAME_SHAPES.UnqualifiedFunctionName.pattern}`);
  }
  const qualifier = kind === 'none' ? '' : (ref.qualifier ?? '');
  if (qualifier !== '' && kind === 'url') {
    const pattern = QUALIFIER_PATTERNS[kind];
    if (qualifier.length > 128 || !new RegExp(`^(${pattern})$`).test(qualifier)) {
      throw validationError(qualifier, 'qualifier', `Member must satisfy regular expression pattern: ${pattern}`);
    }
  }
  const record = await functionRegistry(c.env, caller.accountId).get(ref.name);
  if (!record) throw missing(functionArn(caller, ref.name), 'function');
  if (qualifier !== '' && qualifier !== '$LATEST' && !(await resolveFunction(c.env, caller.accountId, ref.name, qualifier, 'primary'))) {
    throw missing(functionArn(caller, ref.name, qualifier), /^[0-9]+$/.test(qualifier) ? 'version' : 'alias');
  }
  return { record, qualifier };
}
