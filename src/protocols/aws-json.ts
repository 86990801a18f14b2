// AWS's JSON protocols (1.0 and 1.1: POST / with `X-Amz-Target: <Service>.<Op>`), shared by the
// services that speak them: their request body and operation dispatch (their error shape is
// AwsJsonError in ../errors).
import type { Context as HonoContext, MiddlewareHandler } from 'hono';
import type { AppContext } from '../app';

/** The body as a JSON object (empty means `{}`), or undefined when it is not one. */
export function jsonObjectBody(body: Uint8Array): Record<string, unknown> | undefined {
  const text = new TextDecoder().decode(body);
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Not JSON: the caller answers with its service's SerializationException.
  }
  return undefined;
}

export type JsonInput = Record<string, unknown>;
export type JsonOutput = Record<string, unknown>;

/**
 * The POST / middleware of one JSON-protocol service: a request whose X-Amz-Target starts with
 * `targetPrefix` runs the named operation on its body (a JSON object) and answers its output in
 * `contentType`; any other request passes on to the next service. Unknown operations and bodies
 * that are not JSON objects are the service's own `error`s.
 */
export function jsonProtocolService<Context>(service: {
  targetPrefix: string;
  contentType: string;
  operations: Record<string, (context: Context, input: JsonInput) => Promise<JsonOutput>>;
  error: (code: 'UnknownOperationException' | 'SerializationException', message: string) => Error;
  /** What every operation gets: built from the authenticated caller, never from the body. */
  context: (c: HonoContext<AppContext>) => Context;
}): MiddlewareHandler<AppContext> {
  return async (c, next) => {
    const target = c.req.header('x-amz-target');
    if (!target?.startsWith(service.targetPrefix)) return next();
    const name = target.slice(service.targetPrefix.length);
    const operation = Object.hasOwn(service.operations, name) ? service.operations[name] : undefined;
    if (!operation) throw service.error('UnknownOperationException', `Unknown or unsupported operation: ${name || '(none)'}`);
    const input = jsonObjectBody(c.get('body'));
    if (!input) throw service.error('SerializationException', 'Request body is not a valid JSON object');
    const output = await operation(service.context(c), input);
    return new Response(JSON.stringify(output), { headers: { 'content-type': service.contentType } });
  };
}
