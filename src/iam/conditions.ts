// The Condition element: IAM's condition operators (String, Numeric, Date, Bool, Binary, IP
// address, ARN, Null), their IfExists forms and the ForAnyValue: / ForAllValues: set operators,
// decided against a request context. A leaf: no I/O.
import { parseOperator, type ParsedOperator } from './condition-operators';
import type { ConditionBlock } from './policy-document';
import { patternWithVariables, stringWithVariables, type ContextLookup } from './policy-variables';
import { matchesArnPattern, matchesTokens } from './wildcard';

/** How one base operator compares a request value with a policy value. */
interface OperatorSpec {
  /** true when the operator is the negation of another (StringNotEquals, NotIpAddress, ...). */
  negated: boolean;
  /** Whether policy variables are replaced in its values (string and ARN operators only). */
  variables: boolean;
  /** The positive comparison; a negated operator answers its opposite. */
  matches(requestValue: string, policyValue: string, lookup: ContextLookup | undefined): boolean;
}

const compareNumbers = (test: (a: number, b: number) => boolean) => (request: string, policy: string) => {
  const a = parseNumber(request);
  const b = parseNumber(policy);
  return a !== undefined && b !== undefined && test(a, b);
};
const compareDates = (test: (a: number, b: number) => boolean) => (request: string, policy: string) => {
  const a = parseDate(request);
  const b = parseDate(policy);
  return a !== undefined && b !== undefined && test(a, b);
};
const stringEquals = (request: string, policy: string, lookup: ContextLookup | undefined) => stringWithVariables(policy, lookup) === request;
const stringEqualsIgnoreCase = (request: string, policy: string, lookup: ContextLookup | undefined) =>
  stringWithVariables(policy, lookup)?.toLowerCase() === request.toLowerCase();
const stringLike = (request: string, policy: string, lookup: ContextLookup | undefined) => {
  const tokens = patternWithVariables(policy, lookup);
  return tokens !== undefined && matchesTokens(tokens, request);
};
// ArnEquals and ArnLike are the same test in IAM: segment by segment, wildcards allowed in each.
const arnLike = (request: string, policy: string, lookup: ContextLookup | undefined) =>
  request.startsWith('arn:') && matchesArnPattern(policy, request, (segment) => patternWithVariables(segment, lookup));
const numericEquals = compareNumbers((a, b) => a === b);
const dateEquals = compareDates((a, b) => a === b);

const op = (negated: boolean, variables: boolean, matches: OperatorSpec['matches']): OperatorSpec => ({ negated, variables, matches });

/** How each base operator IAM defines (condition-operators.ts names them) compares. */
const CONDITION_OPERATORS: ReadonlyMap<string, OperatorSpec> = new Map([
  ['StringEquals', op(false, true, stringEquals)],
  ['StringNotEquals', op(true, true, stringEquals)],
  ['StringEqualsIgnoreCase', op(false, true, stringEqualsIgnoreCase)],
  ['StringNotEqualsIgnoreCase', op(true, true, stringEqualsIgnoreCase)],
  ['StringLike', op(false, true, stringLike)],
  ['StringNotLike', op(true, true, stringLike)],
  ['NumericEquals', op(false, false, numericEquals)],
  ['NumericNotEquals', op(true, false, numericEquals)],
  ['NumericLessThan', op(false, false, compareNumbers((a, b) => a < b))],
  ['NumericLessThanEquals', op(false, false, compareNumbers((a, b) => a <= b))],
  ['NumericGreaterThan', op(false, false, compareNumbers((a, b) => a > b))],
  ['NumericGreaterThanEquals', op(false, false, compareNumbers((a, b) => a >= b))],
  ['DateEquals', op(false, false, dateEquals)],
  ['DateNotEquals', op(true, false, dateEquals)],
  ['DateLessThan', op(false, false, compareDates((a, b) => a < b))],
  ['DateLessThanEquals', op(false, false, compareDates((a, b) => a <= b))],
  ['DateGreaterThan', op(false, false, compareDates((a, b) => a > b))],
  ['DateGreaterThanEquals', op(false, false, compareDates((a, b) => a >= b))],
  ['Bool', op(false, false, (request, policy) => request.toLowerCase() === policy.toLowerCase())],
  ['BinaryEquals', op(false, false, (request, policy) => request === policy)],
  ['IpAddress', op(false, false, inCidr)],
  ['NotIpAddress', op(true, false, inCidr)],
  ['ArnEquals', op(false, true, arnLike)],
  ['ArnLike', op(false, true, arnLike)],
  ['ArnNotEquals', op(true, true, arnLike)],
  ['ArnNotLike', op(true, true, arnLike)],
]);

/**
 * Whether every condition of `block` holds: operators AND, keys within an operator AND, a key's
 * values OR. `lookup` reads the request context (case-insensitive keys); `variables` says whether
 * policy variables are replaced (documents of Version 2012-10-17). An unknown operator never holds.
 */
export function conditionsHold(block: ConditionBlock, lookup: ContextLookup, variables: boolean): boolean {
  for (const [operator, keys] of Object.entries(block)) {
    const parsed = parseOperator(operator);
    if (parsed === undefined) return false;
    for (const [key, policyValues] of Object.entries(keys)) {
      if (!keyHolds(parsed, lookup(key), policyValues, variables ? lookup : undefined)) return false;
    }
  }
  return true;
}

function keyHolds(operator: ParsedOperator, requestValues: string[] | undefined, policyValues: string[], lookup: ContextLookup | undefined): boolean {
  const present = requestValues !== undefined && requestValues.length > 0;
  if (operator.base === 'Null') {
    // "true": the key must be absent; "false": present. Several values OR, as everywhere.
    return policyValues.some((value) => (value.toLowerCase() === 'true' ? !present : present));
  }
  const spec = CONDITION_OPERATORS.get(operator.base)!;
  if (!present) {
    if (operator.ifExists) return true;
    // ForAllValues over an empty set is true; ForAnyValue finds nothing; a negated test of a
    // missing key holds (nothing equals), a positive one does not.
    if (operator.set === 'ForAllValues') return true;
    if (operator.set === 'ForAnyValue') return false;
    return spec.negated;
  }
  const varLookup = spec.variables ? lookup : undefined;
  // A policy value whose variable has no value makes the statement not apply, whatever the operator.
  if (varLookup && policyValues.some((value) => stringWithVariables(value, varLookup) === undefined)) return false;
  const matchesAny = (requestValue: string) => policyValues.some((policyValue) => spec.matches(requestValue, policyValue, varLookup));
  const satisfies = (requestValue: string) => (spec.negated ? !matchesAny(requestValue) : matchesAny(requestValue));
  if (operator.set === 'ForAllValues') return requestValues.every(satisfies);
  if (operator.set === 'ForAnyValue') return requestValues.some(satisfies);
  // A single-valued operator given several request values: any value may match, and a negated one
  // holds only when none does.
  return spec.negated ? requestValues.every(satisfies) : requestValues.some(satisfies);
}

function parseNumber(text: string): number | undefined {
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text.trim())) return undefined;
  return Number(text);
}

/** ISO 8601 (`2026-01-01`, `2026-01-01T12:00:00Z`) or epoch seconds, as epoch milliseconds. */
export function parseDate(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  if (!/^\d{4}-\d{2}-\d{2}/.test(trimmed)) return undefined;
  const ms = Date.parse(trimmed);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The request's address lies in the policy's CIDR block (a bare address is a /32 or /128). */
function inCidr(address: string, cidr: string): boolean {
  const [base, bits, ...rest] = cidr.trim().split('/');
  if (rest.length > 0 || base === undefined) return false;
  const want = parseIp(base);
  const have = parseIp(address.trim());
  if (want === undefined || have === undefined || want.width !== have.width) return false;
  const prefix = bits === undefined ? want.width : /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
  if (!(prefix >= 0 && prefix <= want.width)) return false;
  const shift = BigInt(want.width - prefix);
  return want.value >> shift === have.value >> shift;
}

/** An IPv4 (32 bits) or IPv6 (128 bits, `::` and a dotted IPv4 tail allowed) address as a number. */
export function parseIp(text: string): { width: 32 | 128; value: bigint } | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { width: 32, value: v4 };
  const v6 = parseIpv6(text);
  return v6 === undefined ? undefined : { width: 128, value: v6 };
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((value, part) => (value << 8n) | BigInt(part), 0n);
}

function parseIpv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string) => (half === '' ? [] : half.split(':'));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  const words: number[] = [];
  const all = [...head, ...tail];
  // A dotted IPv4 tail (`::ffff:192.0.2.1`) stands for the last two groups.
  const last = all[all.length - 1];
  let v4Tail: bigint | undefined;
  if (last !== undefined && last.includes('.')) {
    v4Tail = parseIpv4(last);
    if (v4Tail === undefined) return undefined;
    (tail.length > 0 ? tail : head).pop();
  }
  const toWords = (list: string[]) => {
    for (const group of list) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return false;
      words.push(parseInt(group, 16));
    }
    return true;
  };
  const headWords: number[] = [];
  if (!toWords(head)) return undefined;
  headWords.push(...words.splice(0));
  if (!toWords(tail)) return undefined;
  const tailWords = words.splice(0);
  if (v4Tail !== undefined) tailWords.push(Number(v4Tail >> 16n), Number(v4Tail & 0xffffn));
  const missing = 8 - headWords.length - tailWords.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const full = [...headWords, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tailWords];
  return full.reduce((value, word) => (value << 16n) | BigInt(word), 0n);
}
