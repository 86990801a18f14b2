// Query-string parameters of faasbox's own GET APIs (metrics, billing) and the FunctionName they
// and the test events' paths take, validated into AWS's ValidationException wording.
import type { Context } from 'hono';
import type { AppContext } from '../../protocols/request-context';
import { validationError } from '../../errors';
import { parseFunctionReference } from '../../function-names';

type RequestContext = Context<AppContext>;

/** A parameter that must be present and non-empty. */
export function requiredParam(c: RequestContext, name: string): string {
  const value = c.req.query(name);
  if (value === undefined || value === '') throw validationError('null', name, 'Member must not be null');
  return value;
}

/** The optional FunctionName parameter: a name or an ARN of the caller's, without a qualifier. */
export function optionalFunctionName(c: RequestContext): string | undefined {
  const raw = c.req.query('FunctionName');
  if (raw === undefined || raw === '') return undefined;
  return unqualifiedFunctionName(c, raw);
}

/** A FunctionName (query or path): a name, partial or full ARN of the caller's, without a qualifier. */
export function unqualifiedFunctionName(c: RequestContext, raw: string): string {
  const ref = parseFunctionReference(raw, c.get('caller'), 'FunctionName');
  if (ref.qualifier !== undefined) throw validationError(raw, 'FunctionName', 'Member must be a function name without a qualifier');
  return ref.name;
}

/** A month as YYYY-MM. */
export function monthParam(c: RequestContext, required: boolean): string | undefined {
  const value = required ? requiredParam(c, 'Month') : c.req.query('Month') || undefined;
  if (value !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) throw validationError(value, 'Month', 'Member must be a month as YYYY-MM');
  return value;
}

/** An integer parameter in [min, max], or `fallback` when absent. */
export function integerParam(c: RequestContext, name: string, min: number, max: number, fallback: number): number {
  const raw = c.req.query(name);
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw) || value < min || value > max) throw validationError(raw, name, `Member must be an integer between ${min} and ${max}`);
  return value;
}
