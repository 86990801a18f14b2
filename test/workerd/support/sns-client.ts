// SNS Query calls for workerd tests: one action signed for `sns`, its status and XML.
import type { TestClient } from './signed-client';

/** One SNS Query call: status and XML. */
export async function sns(client: TestClient, action: string, params: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const body = new URLSearchParams({ Action: action, Version: '2010-03-31', ...params }).toString();
  const response = await client.as('sns').send('POST', '/', body, { 'content-type': 'application/x-www-form-urlencoded' });
  return { status: response.status, text: await response.text() };
}

/** One SNS Query call that must answer 200: its XML. */
export async function snsOk(client: TestClient, action: string, params: Record<string, string> = {}): Promise<string> {
  const { status, text } = await sns(client, action, params);
  if (status !== 200) throw new Error(`${action} failed: ${status} ${text}`);
  return text;
}
