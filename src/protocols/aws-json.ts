// AWS's JSON protocols (1.0 and 1.1: POST / with `X-Amz-Target: <Service>.<Op>`): the request
// body, the dispatch table from the target's service prefix to its operations, and the error
// shape (`{"__type": <prefix><code>, "message"}`).
import type { Context as HonoContext } from 'hono';
import type { AwsError, AwsJsonError } from '../errors';
import type { SignedRequestError } from '../auth/sigv4';
import type { ThrottledError } from '../auth/rate-limits';
import type { AppContext } from './request-context';
import { checkServiceAccess, type ServiceAccess } from './operation-access';

export type JsonInput = Record<string, unknown>;
export type JsonOutput = Record<string, unknown>;

/** Why a request could not reach an operation; each service words its own error. */
export type DispatchFailure = 'unknown-operation' | 'not-json' | 'not-object';

/** One service on a JSON protocol: its target prefix, content type and operations. */
export interface AwsJsonService<Context = unknown> {
  /** `Logs_20140328.`, `AWSEvents.`, `AmazonSQS.`: the target up to and including its first dot. */
  targetPrefix: string;
  contentType: string;
  /** The SigV4 service its requests must be signed for (`sqs`, `logs`, `events`), as the AWS SDKs sign them. */
  signingName: string;
  /** A refused signature (or oversized body) in this service's own shape. */
  signatureError: (error: SignedRequestError) => AwsError;
  /** A request over a rate limit in this service's own throttling shape (src/auth/rate-limits.ts). */
  throttled: (error: ThrottledError) => AwsError;
  operations: Record<string, (context: Context, input: JsonInput) => Promise<JsonOutput>>;
  /** What each operation asks IAM before it runs (src/protocols/operation-access.ts). */
  access: ServiceAccess<Context, JsonInput>;
  /** The service's own error for a request that reaches no operation (`operation`: the name asked for). */
  error: (failure: DispatchFailure, operation: string) => AwsError;
  /** What every operation gets: built from the authenticated caller, never from the body. */
  context: (c: HonoContext<AppContext>) => Context;
}

/** The body as a JSON object (empty means `{}`), or why it is not one. */
export function jsonObjectBody(body: Uint8Array): JsonInput | 'not-json' | 'not-object' {
  const text = new TextDecoder().decode(body);
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'not-json';
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonInput) : 'not-object';
}

/** A dispatch table keyed by target prefix; two services may not share one. */
export function awsJsonServices(services: AwsJsonService<any>[]): ReadonlyMap<string, AwsJsonService<any>> {
  const table = new Map<string, AwsJsonService<any>>();
  for (const service of services) {
    if (table.has(service.targetPrefix)) throw new Error(`two JSON-protocol services on ${service.targetPrefix}`);
    table.set(service.targetPrefix, service);
  }
  return table;
}

/**
 * Runs the operation that `X-Amz-Target` names, once IAM allows it, or answers undefined when the
 * request has no target of a service in `table` (another protocol may take it). Unknown operations
 * and bodies that are not JSON objects are the service's own errors.
 */
export async function dispatchAwsJson(c: HonoContext<AppContext>, table: ReadonlyMap<string, AwsJsonService<any>>): Promise<Response | undefined> {
  const target = c.req.header('x-amz-target');
  const service = awsJsonServiceFor(target, table);
  if (!target || !service) return undefined;
  const name = target.slice(service.targetPrefix.length);
  const operation = Object.hasOwn(service.operations, name) ? service.operations[name] : undefined;
  if (!operation) throw service.error('unknown-operation', name);
  const input = jsonObjectBody(c.get('body'));
  if (typeof input === 'string') throw service.error(input, name);
  const context = service.context(c);
  await checkServiceAccess(c.env, c.get('caller'), service.access, name, () => context, input);
  const output = await operation(context, input);
  return new Response(JSON.stringify(output), { headers: { 'content-type': service.contentType } });
}

/** The service in `table` whose target prefix `target` (an X-Amz-Target header) starts with. */
export function awsJsonServiceFor<S extends AwsJsonService<any>>(target: string | undefined, table: ReadonlyMap<string, S>): S | undefined {
  const dot = target?.indexOf('.') ?? -1;
  return target && dot >= 0 ? table.get(target.slice(0, dot + 1)) : undefined;
}

export function renderAwsJsonError(error: AwsJsonError): Response {
  return new Response(JSON.stringify({ __type: `${error.typePrefix}${error.code}`, message: error.message }), {
    status: error.status,
    headers: { 'content-type': error.contentType, 'x-amzn-ErrorType': error.code, ...error.headers },
  });
}
