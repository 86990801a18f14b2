// Calls the SQS-compatible API (AWS JSON 1.0, X-Amz-Target) with a tenant's signed client.
import type { TestClient } from './signed-client';

export async function sqs<T = Record<string, unknown>>(client: TestClient, operation: string, body: Record<string, unknown>): Promise<T> {
  const response = await client.send('POST', '/', body, { 'X-Amz-Target': `AmazonSQS.${operation}`, 'Content-Type': 'application/x-amz-json-1.0' });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${operation} failed: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : {}) as T;
}

export interface ReceivedMessage {
  MessageId: string;
  ReceiptHandle: string;
  Body: string;
  MessageAttributes?: Record<string, { DataType: string; StringValue?: string }>;
}

/** Receives and deletes every message until the queue stays empty for `quietMs`. */
export async function drain(client: TestClient, queueUrl: string, quietMs = 1500): Promise<ReceivedMessage[]> {
  const all: ReceivedMessage[] = [];
  let quietSince = Date.now();
  while (Date.now() - quietSince < quietMs) {
    const { Messages = [] } = await sqs<{ Messages?: ReceivedMessage[] }>(client, 'ReceiveMessage', {
      QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], VisibilityTimeout: 60,
    });
    if (Messages.length === 0) {
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    quietSince = Date.now();
    for (const message of Messages) {
      all.push(message);
      await sqs(client, 'DeleteMessage', { QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle });
    }
  }
  return all;
}
