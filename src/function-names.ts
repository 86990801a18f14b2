// Function names as Lambda accepts them in paths: a name, a partial ARN `123456789012:function:fn`
// or a full ARN, each optionally with `:qualifier`; and the ARNs faasbox renders.
import { functionNotFound, validationError } from './errors';
import { FUNCTION_ARN_MAX_CHARS } from './limits';

export interface Caller {
  accountId: string;
  region: string;
}

export interface FunctionReference {
  name: string;
  qualifier?: string;
}

const NAME_PATTERN = /^[a-zA-Z0-9-_]+$/;
const QUALIFIER_PATTERN = /^(\$LATEST|[a-zA-Z0-9-_]+)$/;
const PATH_PATTERN =
  '(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?';

export function functionArn(caller: Caller, name: string, qualifier?: string): string {
  return `arn:aws:lambda:${caller.region}:${caller.accountId}:function:${name}${qualifier ? `:${qualifier}` : ''}`;
}

/**
 * Resolves the `{FunctionName}` path parameter for `caller`. An ARN naming another account or
 * region is answered as not found: a tenant learns nothing about functions that are not its own.
 */
export function parseFunctionReference(raw: string, caller: Caller, member = 'functionName'): FunctionReference {
  if (raw.length === 0 || raw.length > FUNCTION_ARN_MAX_CHARS) {
    throw validationError(raw, member, `Member must have length ${raw.length === 0 ? 'greater than or equal to 1' : `less than or equal to ${FUNCTION_ARN_MAX_CHARS}`}`);
  }
  const parts = raw.split(':');
  let name: string;
  let qualifier: string | undefined;
  let accountId = caller.accountId;
  let region = caller.region;
  if (parts[0] === 'arn') {
    // arn:aws:lambda:region:account:function:name[:qualifier]
    if (parts.length < 7 || parts.length > 8 || parts[2] !== 'lambda' || parts[5] !== 'function') throw badPattern(raw, member);
    [region, accountId, , name, qualifier] = parts.slice(3);
  } else if (parts.length >= 3 && parts[1] === 'function') {
    // account:function:name[:qualifier]
    if (parts.length > 4) throw badPattern(raw, member);
    [accountId, , name, qualifier] = parts;
  } else {
    if (parts.length > 2) throw badPattern(raw, member);
    [name, qualifier] = parts;
  }
  if (!NAME_PATTERN.test(name) || (qualifier !== undefined && !QUALIFIER_PATTERN.test(qualifier))) throw badPattern(raw, member);
  if (accountId !== caller.accountId || region !== caller.region) throw functionNotFound(raw.startsWith('arn:') ? raw : functionArn(caller, name, qualifier));
  return { name, qualifier };
}

/** Validates a plain function name as CreateFunction takes it (a name or an ARN of the caller). */
export function parseNewFunctionName(raw: unknown, caller: Caller): string {
  if (typeof raw !== 'string') throw validationError(String(raw), 'functionName', 'Member must not be null');
  const ref = parseFunctionReference(raw, caller);
  if (ref.qualifier !== undefined) throw badPattern(raw, 'functionName');
  if (ref.name.length > 64) throw validationError(raw, 'functionName', 'Member must have length less than or equal to 64');
  return ref.name;
}

function badPattern(raw: string, member: string) {
  return validationError(raw, member, `Member must satisfy regular expression pattern: ${PATH_PATTERN}`);
}
