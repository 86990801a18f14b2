// Signed calls to faasbox's own APIs from the browser: SigV4 by aws4fetch with the tab's keys,
// never retried (a throttle or an error is shown as the API answered it), errors parsed from each
// protocol's own shape into one ApiError.
import { AwsClient } from 'aws4fetch';
import { credentials, region, signOut, type Credentials } from '../session';
import { sandboxEnd, sandboxInvocations } from '../playground/state';

/** An API's refusal: its HTTP status, error code and message, as the service sent them. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/** SigV4 service names: faasbox's own /api is signed as Lambda (README). */
export type SigningService = 'lambda' | 'logs' | 'sqs' | 'events' | 'xray' | 'iam' | 'sns' | 's3';

/** One signer per key pair (each sign-in attempt is a new pair) and service. */
const clients = new WeakMap<Credentials, Map<SigningService, AwsClient>>();

function clientFor(service: SigningService, keys: Credentials): AwsClient {
  let byService = clients.get(keys);
  if (!byService) clients.set(keys, (byService = new Map()));
  let client = byService.get(service);
  if (!client) {
    client = new AwsClient({ accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey, service, region, retries: 0 });
    byService.set(service, client);
  }
  return client;
}

/** A signed fetch of `path` on this origin; `keys` only at sign-in, before they are remembered. */
export async function signedFetch(service: SigningService, path: string, init: RequestInit = {}, keys = credentials.value): Promise<Response> {
  if (!keys) throw new ApiError(401, 'NotSignedIn', 'Sign in first.');
  const response = await clientFor(service, keys).fetch(new URL(path, location.origin).toString(), init);
  if (keys.playground) noteSandboxAnswer(keys, response, path, init.method);
  return response;
}

/**
 * A sandbox's keys refused as unknown mean the sandbox has ended (expired, or ended elsewhere):
 * the keys are forgotten and the page says so. Only while they are still the keys in use: a late
 * answer to the keys of a sandbox already ended (or replaced) changes nothing. An invocation
 * answered at all counts for usage.
 */
function noteSandboxAnswer(keys: Credentials, response: Response, path: string, method = 'GET'): void {
  const code = response.headers.get('x-amzn-errortype')?.split(':')[0];
  // 403 from Lambda's REST APIs, 400 from the JSON protocols (Logs, EventBridge answer as AWS does).
  if ((response.status === 403 || response.status === 400) && code === 'UnrecognizedClientException') {
    if (credentials.value?.accessKeyId !== keys.accessKeyId) return;
    signOut();
    sandboxEnd.value = 'expired';
  } else if (method === 'POST' && /\/functions\/[^/]+\/invocations/.test(path)) {
    sandboxInvocations.value++;
  }
}

/** The error of a non-2xx answer, from JSON bodies ({message|Message|errorMessage}, code from header or __type). */
export async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text();
  let code = response.headers.get('x-amzn-errortype')?.split(':')[0] ?? '';
  let message = text || response.statusText;
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    code = code || String(body.__type ?? body.code ?? body.Type ?? '').split('#').pop() || '';
    message = String(body.message ?? body.Message ?? body.errorMessage ?? message);
  } catch {
    // Not JSON (a Query-protocol XML error): keep the text.
  }
  return new ApiError(response.status, code || `HTTP ${response.status}`, message);
}

/** A REST JSON call (Lambda's API, faasbox's /api): the parsed body, or throws ApiError. */
export async function restJson<T>(method: string, path: string, body?: unknown, keys?: Credentials): Promise<T> {
  const response = await signedFetch('lambda', path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  }, keys);
  if (!response.ok) throw await errorOf(response);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** X-Amz-Target prefixes of the AWS JSON protocol services faasbox speaks. */
const TARGETS = { logs: 'Logs_20140328', sqs: 'AmazonSQS', events: 'AWSEvents' } as const;
const JSON_VERSIONS = { logs: '1.1', sqs: '1.0', events: '1.1' } as const;

/** An AWS JSON protocol call (CloudWatch Logs, SQS, EventBridge) posted to the root. */
export async function awsJson<T>(service: keyof typeof TARGETS, operation: string, input: unknown): Promise<T> {
  const response = await signedFetch(service, '/', {
    method: 'POST',
    headers: { 'content-type': `application/x-amz-json-${JSON_VERSIONS[service]}`, 'x-amz-target': `${TARGETS[service]}.${operation}` },
    body: JSON.stringify(input ?? {}),
  });
  if (!response.ok) throw await errorOf(response);
  return (await response.json()) as T;
}

/** An X-Ray REST JSON call (POST to one of its exact paths). */
export async function xray<T>(path: string, input: unknown): Promise<T> {
  const response = await signedFetch('xray', path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) });
  if (!response.ok) throw await errorOf(response);
  return (await response.json()) as T;
}
