// SNS subscription filter policies: checking a policy as SetSubscriptionAttributes and Subscribe do,
// and matching a message against it, on its attributes (FilterPolicyScope MessageAttributes) or
// on its JSON body (MessageBody). Pure: no I/O.

/** A message attribute as Publish takes it (`DataType` String, Number, Binary, String.Array, or a custom `String.x`). */
export interface PublishedAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
}

/** Limits SNS documents: at most 5 keys (attributes scope) and 150 combinations of values. */
const FILTER_POLICY_KEYS_MAX = 5;
const FILTER_POLICY_COMBINATIONS_MAX = 150;
const OPERATORS = new Set(['prefix', 'suffix', 'anything-but', 'numeric', 'exists', 'equals-ignore-case']);
const NUMERIC_OPERATORS = new Set(['<', '<=', '=', '>', '>=']);

/**
 * Why `policyText` is no valid filter policy for `scope`, or undefined when it is one: a JSON
 * object whose keys name attributes (or, in the body scope, body members, nested as objects) and
 * whose values are arrays of strings, numbers, null (body only) and operator objects.
 * @example filterPolicyProblem('{"color":["red",{"prefix":"bl"}]}', 'MessageAttributes') // undefined
 */
export function filterPolicyProblem(policyText: string, scope: 'MessageAttributes' | 'MessageBody'): string | undefined {
  let policy: unknown;
  try {
    policy = JSON.parse(policyText);
  } catch {
    return 'failed to parse JSON.';
  }
  if (!isObject(policy)) return 'Filter policy must be a JSON object.';
  let keys = 0;
  const combinations = (node: Record<string, unknown>, depth: number): number | string => {
    let product = 1;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$or') return '$or is not supported by faasbox.';
      if (isObject(value)) {
        if (scope !== 'MessageBody') return 'Filter policy scope MessageAttributes does not support nested filter policy';
        if (depth >= 5) return 'Filter policy can not have more than 5 levels of nesting.';
        const inner = combinations(value, depth + 1);
        if (typeof inner === 'string') return inner;
        product *= inner;
        continue;
      }
      keys++;
      if (!Array.isArray(value)) return `"${key}" must be an object or an array`;
      if (value.length === 0) return `Empty arrays are not allowed`;
      for (const condition of value) {
        const problem = conditionProblem(condition, scope);
        if (problem) return problem;
      }
      product *= value.length;
    }
    return product;
  };
  const result = combinations(policy, 1);
  if (typeof result === 'string') return result;
  if (scope === 'MessageAttributes' && keys > FILTER_POLICY_KEYS_MAX) return `Filter policy can not have more than ${FILTER_POLICY_KEYS_MAX} keys`;
  if (result > FILTER_POLICY_COMBINATIONS_MAX) return `Filter policy is too complex`;
  return undefined;
}

function conditionProblem(condition: unknown, scope: string): string | undefined {
  if (typeof condition === 'string' || typeof condition === 'number') return undefined;
  if (condition === null) return scope === 'MessageBody' ? undefined : 'Match value must be String, number, true, false, or null';
  if (typeof condition === 'boolean') return undefined;
  if (!isObject(condition)) return 'Match value must be String, number, true, false, or null';
  const entries = Object.entries(condition);
  if (entries.length !== 1) return 'Only one key allowed in match expression';
  const [operator, operand] = entries[0]!;
  if (!OPERATORS.has(operator)) return `Unrecognized match type ${operator}`;
  switch (operator) {
    case 'prefix': case 'suffix': case 'equals-ignore-case':
      return typeof operand === 'string' ? undefined : `${operator} match pattern must be a string`;
    case 'exists':
      return typeof operand === 'boolean' ? undefined : 'exists match pattern must be either true or false.';
    case 'numeric':
      return numericProblem(operand);
    case 'anything-but': {
      if (typeof operand === 'string' || typeof operand === 'number') return undefined;
      if (Array.isArray(operand)) return operand.every((v) => typeof v === 'string' || typeof v === 'number') ? undefined : 'Inside anything but list, start|null|boolean is not supported.';
      if (isObject(operand) && Object.keys(operand).length === 1 && typeof operand.prefix === 'string') return undefined;
      return 'Unsupported anything-but pattern';
    }
  }
  return undefined;
}

function numericProblem(operand: unknown): string | undefined {
  if (!Array.isArray(operand) || operand.length === 0 || operand.length > 4 || operand.length % 2 !== 0) return 'Value of numeric must be an array.';
  for (let i = 0; i < operand.length; i += 2) {
    if (!NUMERIC_OPERATORS.has(String(operand[i]))) return `Unrecognized numeric range operator: ${String(operand[i])}`;
    if (typeof operand[i + 1] !== 'number') return `Value of ${String(operand[i])} must be numeric`;
  }
  if (operand.length === 4 && (operand[0] === '=' || operand[2] === '=')) return 'Too many elements in numeric expression';
  return undefined;
}

/**
 * Whether a message passes `policyText` (already checked). In the attributes scope each key
 * names a message attribute (String and Number values, String.Array's items; Binary never
 * matches); in the body scope the message must be a JSON object and keys follow its members. All
 * keys must match (AND); within a key any condition may (OR).
 * @example messageMatches('{"n":[{"numeric":[">",3]}]}', 'MessageAttributes', '', { n: { DataType: 'Number', StringValue: '5' } }) // true
 */
export function messageMatches(policyText: string, scope: 'MessageAttributes' | 'MessageBody', message: string, attributes: Record<string, PublishedAttribute>): boolean {
  const policy = JSON.parse(policyText) as Record<string, unknown>;
  if (scope === 'MessageAttributes') {
    return Object.entries(policy).every(([key, conditions]) => {
      const attribute = Object.hasOwn(attributes, key) ? attributes[key] : undefined;
      return matchesAny(conditions as unknown[], attribute === undefined ? undefined : attributeValues(attribute));
    });
  }
  let body: unknown;
  try {
    body = JSON.parse(message);
  } catch {
    return false;
  }
  return isObject(body) && bodyMatches(policy, body);
}

function bodyMatches(policy: Record<string, unknown>, body: Record<string, unknown>): boolean {
  return Object.entries(policy).every(([key, rule]) => {
    const member = Object.hasOwn(body, key) ? body[key] : undefined;
    if (isObject(rule)) {
      // A nested rule over an array of objects matches when one of them does.
      const objects = Array.isArray(member) ? member.filter(isObject) : isObject(member) ? [member] : [];
      return objects.some((inner) => bodyMatches(rule, inner));
    }
    const values = member === undefined ? undefined : Array.isArray(member) ? member : [member];
    return matchesAny(rule as unknown[], values as Scalar[] | undefined);
  });
}

type Scalar = string | number | boolean | null;

/** An attribute's values for matching: a Number's number, a String's text, a String.Array's items; none for Binary. */
function attributeValues(attribute: PublishedAttribute): Scalar[] {
  const text = attribute.StringValue ?? '';
  if (attribute.DataType.startsWith('Number')) return Number.isFinite(Number(text)) ? [Number(text)] : [];
  if (attribute.DataType === 'String.Array') {
    try {
      const items = JSON.parse(text) as unknown;
      return Array.isArray(items) ? items.filter((v): v is Scalar => v === null || ['string', 'number', 'boolean'].includes(typeof v)) : [];
    } catch {
      return [];
    }
  }
  if (attribute.DataType.startsWith('String')) return [text];
  return [];
}

/** Whether any of `conditions` holds for the values (undefined: the key is absent). */
function matchesAny(conditions: unknown[], values: Scalar[] | undefined): boolean {
  return conditions.some((condition) => {
    if (isObject(condition) && 'exists' in condition) return (values !== undefined) === condition.exists;
    if (values === undefined) return false;
    return values.some((value) => matchesOne(condition, value));
  });
}

function matchesOne(condition: unknown, value: Scalar): boolean {
  if (!isObject(condition)) return condition === value;
  const [operator, operand] = Object.entries(condition)[0]!;
  switch (operator) {
    case 'prefix': return typeof value === 'string' && value.startsWith(operand as string);
    case 'suffix': return typeof value === 'string' && value.endsWith(operand as string);
    case 'equals-ignore-case': return typeof value === 'string' && value.toLowerCase() === (operand as string).toLowerCase();
    case 'numeric': return typeof value === 'number' && numericHolds(operand as (string | number)[], value);
    case 'anything-but': {
      if (isObject(operand)) return typeof value === 'string' && !value.startsWith(operand.prefix as string);
      const excluded = Array.isArray(operand) ? operand : [operand];
      return !excluded.includes(value);
    }
  }
  return false;
}

function numericHolds(range: (string | number)[], value: number): boolean {
  for (let i = 0; i < range.length; i += 2) {
    const bound = range[i + 1] as number;
    const holds = { '<': value < bound, '<=': value <= bound, '=': value === bound, '>': value > bound, '>=': value >= bound }[range[i] as '<'];
    if (!holds) return false;
  }
  return true;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
