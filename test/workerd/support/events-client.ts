// Calls the EventBridge-compatible rules API (AWS JSON 1.1, X-Amz-Target) with a tenant's signed client.
import type { TestClient } from './signed-client';

/** The operation's output; throws with the status and body on anything but 200. */
export async function events<T = Record<string, unknown>>(client: TestClient, operation: string, body: Record<string, unknown>): Promise<T> {
  const response = await eventsResponse(client, operation, body);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${operation} failed: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

/** The raw response, for asserting errors. */
export function eventsResponse(client: TestClient, operation: string, body: Record<string, unknown>): Promise<Response> {
  return client.send('POST', '/', body, { 'X-Amz-Target': `AWSEvents.${operation}`, 'Content-Type': 'application/x-amz-json-1.1' });
}

/** Asserts AWS's JSON 1.1 error shape and returns the message. */
export async function eventsError(response: Response, code: string): Promise<string> {
  const body = (await response.json()) as { __type: string; message: string };
  if (response.status !== 400 || response.headers.get('x-amzn-errortype') !== code || body.__type !== code || typeof body.message !== 'string'
    || response.headers.get('content-type') !== 'application/x-amz-json-1.1') {
    throw new Error(`expected ${code}, got ${response.status} ${response.headers.get('x-amzn-errortype')} ${JSON.stringify(body)}`);
  }
  return body.message;
}
