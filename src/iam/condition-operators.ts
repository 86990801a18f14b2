// The names of IAM's condition operators and how a full name is taken apart
// (`ForAnyValue:StringLikeIfExists`). A leaf shared by the policy grammar and the evaluator.

/** Every base operator IAM defines; conditions.ts says how each compares. */
export const CONDITION_OPERATOR_NAMES: ReadonlySet<string> = new Set([
  'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike',
  'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals',
  'DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals',
  'Bool', 'BinaryEquals', 'IpAddress', 'NotIpAddress', 'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike', 'Null',
]);

/** An operator name taken apart: `ForAnyValue:StringLikeIfExists` -> set ForAnyValue, base StringLike, ifExists. */
export interface ParsedOperator {
  set?: 'ForAnyValue' | 'ForAllValues';
  base: string;
  ifExists: boolean;
}

/** Takes an operator name apart, or returns undefined when IAM does not know it. */
export function parseOperator(name: string): ParsedOperator | undefined {
  const match = /^(?:(ForAnyValue|ForAllValues):)?(.+?)(IfExists)?$/.exec(name);
  if (!match) return undefined;
  const base = match[2]!;
  const ifExists = match[3] !== undefined;
  // Null is itself an existence test: it has no IfExists form.
  if (!CONDITION_OPERATOR_NAMES.has(base) || (base === 'Null' && ifExists)) return undefined;
  return { ...(match[1] ? { set: match[1] as 'ForAnyValue' | 'ForAllValues' } : {}), base, ifExists };
}
