// Members of a JSON-protocol request (SQS, CloudWatch Logs, EventBridge, X-Ray), read with zod,
// the one validation library of every service's input (the Lambda routes parse whole request
// schemas, api/lambda/function-config.ts). Each service words its own refusal: `refuse` gets the
// value that failed and builds that service's error, so the answers stay each service's own.
import { z } from 'zod';
import type { JsonInput } from './aws-json';

type Refuse = (value: unknown) => Error;

/** input[name] parsed by `schema`, or the service's error for the value found. */
export function member<T>(input: JsonInput, name: string, schema: z.ZodType<T>, refuse: Refuse): T {
  const value = input[name];
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw refuse(value);
  return parsed.data;
}

/** A string, or undefined when absent or null. */
export const OPTIONAL_STRING = z.string().nullish().transform((v) => v ?? undefined);

/** An integer in [min, max], or undefined when absent or null. */
export const optionalInteger = (min: number, max: number) => z.number().int().min(min).max(max).nullish().transform((v) => v ?? undefined);

/** The same, also as decimal text (the Query protocol sends every scalar as a string). */
export const optionalIntegerOrText = (min: number, max: number) =>
  z.union([z.number(), z.string().regex(/^-?\d+$/).transform(Number)]).pipe(z.number().int().min(min).max(max)).nullish().transform((v) => v ?? undefined);

export const STRING_LIST = z.array(z.string());

export const STRING_MAP = z.record(z.string(), z.string());

/** Any list, or undefined when absent or null (its items are checked one by one). */
export const OPTIONAL_LIST = z.array(z.unknown()).nullish().transform((v) => v ?? undefined);
