// The one shape of an answer that can fail, used by every Durable Object: a value, or an error
// code (a string union, like miniflare's ERR_*) with the details a caller needs to render it.

/** A success carrying `value`. */
export type Ok<T> = { ok: true; value: T };

/**
 * A failure: `error` is one of the codes `E`; `Details` adds fields to some codes (by code).
 * @example Failure<'not-found' | 'invalid', { invalid: { message: string } }>
 *   = { ok: false; error: 'not-found' } | { ok: false; error: 'invalid'; message: string }
 */
export type Failure<E extends string, Details extends { [K in E]?: object } = {}> = {
  [K in E]: { ok: false; error: K } & (K extends keyof Details ? Details[K] : unknown);
}[E];

/**
 * What an object answers when an operation can fail (never a thrown error, never `undefined`
 * standing for a reason).
 * @example Result<FunctionRecord, 'not-found' | 'conflict'>
 */
export type Result<T, E extends string, Details extends { [K in E]?: object } = {}> = Ok<T> | Failure<E, Details>;

/** @example return ok(record); */
export function ok<T>(value: T): Ok<T> {
  return { ok: true, value };
}

/** @example return fail('version-not-found', { version }); */
export function fail<E extends string>(error: E): { ok: false; error: E };
export function fail<E extends string, D extends object>(error: E, details: D): { ok: false; error: E } & D;
export function fail(error: string, details?: object): { ok: false; error: string } {
  return { ok: false, error, ...details };
}
