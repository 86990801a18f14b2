// Function names as Lambda accepts them in paths: a name, a partial ARN `123456789012:function:fn`
// or a full ARN, each optionally with `:qualifier`; and the ARNs faasbox renders.
import { accessDenied, invalidParameter, LambdaError, validationError, validationErrors } from './errors';
import { FUNCTION_ARN_MAX_CHARS } from './limits';

export interface Caller {
  accountId: string;
  region: string;
}

export interface FunctionReference {
  name: string;
  qualifier?: string;
}

/**
 * The FunctionName shapes of Lambda's model (botocore's service-2.json gives each operation one),
 * with the pattern AWS's ValidationException quotes today (its region part now admits `eusc-`,
 * as recorded answers of AWS show) and the maximum length.
 */
export type FunctionNameShape = 'NamespacedFunctionName' | 'FunctionName' | 'UnqualifiedFunctionName';
const ARN_PREFIX = '(arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?';
export const FUNCTION_NAME_SHAPES: Record<FunctionNameShape, { pattern: string; maxChars: number }> = {
  NamespacedFunctionName: { pattern: `${ARN_PREFIX}([a-zA-Z0-9-_\\.]+)(:(\\$LATEST(\\.PUBLISHED)?|[a-zA-Z0-9-_]+))?`, maxChars: 256 },
  FunctionName: { pattern: `${ARN_PREFIX}([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?`, maxChars: FUNCTION_ARN_MAX_CHARS },
  UnqualifiedFunctionName: { pattern: `${ARN_PREFIX}([a-zA-Z0-9-_]+)`, maxChars: FUNCTION_ARN_MAX_CHARS },
};

/** The Qualifier query parameter of most operations (NumericLatestPublishedOrAliasQualifier), as AWS quotes it. */
export const QUALIFIER_PATTERN = '\\$(LATEST(\\.PUBLISHED)?)|[a-zA-Z0-9-_$]+';
const QUALIFIER_MAX_CHARS = 128;

/** The parts of a name that passed its shape's pattern: region and account only when it names them. */
const LOCATOR = /^(?:arn:(?:aws[a-zA-Z-]*)?:lambda:)?(?:(?<region>(?:eusc-)?[a-z]{2}(?:(?:-gov)|(?:-iso[a-z]?))?-[a-z]+-\d):)?(?:(?<account>\d{12}):)?(?:function:)?(?<name>[a-zA-Z0-9-_.]+)(?::(?<qualifier>[^:]+))?$/;

export function functionArn(caller: Caller, name: string, qualifier?: string): string {
  return `arn:aws:lambda:${caller.region}:${caller.accountId}:function:${name}${qualifier ? `:${qualifier}` : ''}`;
}

/** Where a function name points: its account and region (the caller's unless it names others), name and qualifier. */
export interface FunctionLocation extends FunctionReference {
  accountId: string;
  region: string;
}

/**
 * Reads a name, partial or full ARN without judging it: undefined when it does not have the
 * shape of one (the operation refuses it). IAM's guard uses it to name the resource it asks about.
 */
export function locateFunction(raw: string, caller: Caller): FunctionLocation | undefined {
  const parts = LOCATOR.exec(raw)?.groups;
  if (!parts) return undefined;
  return { accountId: parts.account ?? caller.accountId, region: parts.region ?? caller.region, name: parts.name!, qualifier: parts.qualifier };
}

/** Every constraint `raw` breaks as an operation's FunctionName of `shape` (AWS counts them all). */
export function functionNameViolations(raw: string, shape: FunctionNameShape, member = 'functionName'): string[] {
  const { pattern, maxChars } = FUNCTION_NAME_SHAPES[shape];
  const violations: string[] = [];
  if (raw.length === 0) violations.push(violation(raw, member, 'Member must have length greater than or equal to 1'));
  if (raw.length > maxChars) violations.push(violation(raw, member, `Member must have length less than or equal to ${maxChars}`));
  if (!new RegExp(`^(?:${pattern})$`).test(raw)) violations.push(violation(raw, member, `Member must satisfy regular expression pattern: ${pattern}`));
  return violations;
}

/** Every constraint a `Qualifier` query parameter breaks (NumericLatestPublishedOrAliasQualifier). */
export function qualifierViolations(qualifier: string): string[] {
  const violations: string[] = [];
  if (qualifier.length > QUALIFIER_MAX_CHARS) violations.push(violation(qualifier, 'qualifier', `Member must have length less than or equal to ${QUALIFIER_MAX_CHARS}`));
  if (!new RegExp(`^(?:${QUALIFIER_PATTERN})$`).test(qualifier)) violations.push(violation(qualifier, 'qualifier', `Member must satisfy regular expression pattern: ${QUALIFIER_PATTERN}`));
  return violations;
}

const violation = (value: string, member: string, constraint: string) => `Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`;

/**
 * Resolves a `{FunctionName}` (path or query) for `caller`, checked against the operation's
 * `shape`: a malformed one is AWS's ValidationException; another account's function is
 * AccessDeniedException (IAM's guard asks first, with AWS's message; this is the last stop); one
 * of another region is not reachable from this one, in AWS's words.
 */
export function parseFunctionReference(raw: string, caller: Caller, member = 'functionName', shape: FunctionNameShape = 'FunctionName'): FunctionReference {
  const violations = functionNameViolations(raw, shape, member);
  if (violations.length > 0) throw validationErrors(violations);
  const located = locateFunction(raw, caller)!;
  const { name, qualifier } = located;
  if (located.accountId !== caller.accountId) {
    throw accessDenied(`User is not authorized to perform this operation on resource: ${functionArn(located, name, qualifier)} of another account`);
  }
  if (located.region !== caller.region) throw functionsNotReachable(located.region, caller.region);
  return qualifier === undefined ? { name } : { name, qualifier };
}

/** AWS's answer to a function ARN of another region. */
export const functionsNotReachable = (region: string, callerRegion: string) =>
  new LambdaError(404, 'ResourceNotFoundException', `Functions from '${region}' are not reachable in this region ('${callerRegion}')`, { messageField: 'Message' });

/**
 * Validates a plain function name as CreateFunction takes it (a name or an ARN of the caller). A
 * plain name over 64 characters is InvalidParameterValueException in AWS's validation wording.
 */
export function parseNewFunctionName(raw: unknown, caller: Caller): string {
  if (typeof raw !== 'string') throw validationError(String(raw), 'functionName', 'Member must not be null');
  const ref = parseFunctionReference(raw, caller);
  if (ref.qualifier !== undefined) throw validationError(raw, 'functionName', `Member must satisfy regular expression pattern: ${FUNCTION_NAME_SHAPES.FunctionName.pattern}`);
  if (ref.name.length > 64) throw invalidParameter(`1 validation error detected: ${violation(raw, 'functionName', 'Member must have length less than or equal to 64')}`);
  return ref.name;
}
