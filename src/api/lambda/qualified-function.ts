// The `:name` function and its Qualifier (path suffix or ?Qualifier=) for the URL and policy
// operations: the unqualified function, an alias (for policies also $LATEST or a version) that exists.
import type { Context } from 'hono';
import type { AppContext } from '../../protocols/request-context';
import { functionNotFound, validationError } from '../../errors';
import { functionArn, parseFunctionReference } from '../../function-names';
import type { FunctionRecord } from '../../records/function';
import { functionRegistry } from '../../bindings';
import { resolveFunction } from '../../services/resolve-function';

/** Qualifier patterns of the operations: a URL's is an alias only (no version number, no $LATEST), as Lambda answers. */
const QUALIFIER_PATTERNS = {
  url: '((?!^\\d+$)^[0-9a-zA-Z-_]+$)',
  policy: '(|[a-zA-Z0-9$_-]+)',
};

/**
 * The function and the qualifier ('' when none was given). `kind` selects the Qualifier pattern;
 * 'none' refuses any qualifier (ListFunctionUrlConfigs takes the unqualified name only).
 */
export async function findQualifiedFunction(c: Context<AppContext>, kind: 'url' | 'policy' | 'none'): Promise<{ record: FunctionRecord; qualifier: string }> {
  const caller = c.get('caller');
  const ref = parseFunctionReference(c.req.param('name')!, caller);
  if (kind === 'none' && ref.qualifier !== undefined) {
    throw validationError(c.req.param('name')!, 'functionName', 'Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)');
  }
  const qualifier = kind === 'none' ? '' : (ref.qualifier ?? c.req.query('Qualifier') ?? '');
  if (qualifier !== '' && kind !== 'none') {
    const pattern = QUALIFIER_PATTERNS[kind];
    if (qualifier.length > 128 || !new RegExp(`^(${pattern})$`).test(qualifier)) {
      throw validationError(qualifier, 'qualifier', `Member must satisfy regular expression pattern: ${pattern}`);
    }
  }
  const record = await functionRegistry(c.env, caller.accountId).get(ref.name);
  if (!record) throw functionNotFound(functionArn(caller, ref.name));
  if (qualifier !== '' && qualifier !== '$LATEST' && !(await resolveFunction(c.env, caller.accountId, ref.name, qualifier, 'primary'))) {
    throw functionNotFound(functionArn(caller, ref.name, qualifier));
  }
  return { record, qualifier };
}
