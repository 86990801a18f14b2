// Calls the CloudWatch Logs-compatible API (AWS JSON 1.1, X-Amz-Target) with a tenant's signed client.
import type { TestClient } from './signed-client';

/** The operation's output; throws with the status and body on anything but 200. */
export async function logs<T = Record<string, unknown>>(client: TestClient, operation: string, body: Record<string, unknown>): Promise<T> {
  const response = await logsResponse(client, operation, body);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${operation} failed: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

/** The raw response, for asserting errors. */
export function logsResponse(client: TestClient, operation: string, body: Record<string, unknown>): Promise<Response> {
  return client.send('POST', '/', body, { 'X-Amz-Target': `Logs_20140328.${operation}`, 'Content-Type': 'application/x-amz-json-1.1' });
}

export interface FilteredEvent {
  logStreamName: string;
  timestamp: number;
  message: string;
  ingestionTime: number;
  eventId: string;
}
