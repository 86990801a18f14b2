// Reads a tenant's SQS-compatible queues to the end in tests (requests: sqsApi in aws-json-client.ts).
import type { TestClient } from './signed-client';
import { sqsApi } from './aws-json-client';

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
    const { Messages = [] } = await sqsApi.call<{ Messages?: ReceivedMessage[] }>(client, 'ReceiveMessage', {
      QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], VisibilityTimeout: 60,
    });
    if (Messages.length === 0) {
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    for (const message of Messages) {
      all.push(message);
      await sqsApi.call(client, 'DeleteMessage', { QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle });
    }
    // Quiet is counted from the end of the work, so slow deletes on a loaded machine cannot end the drain early.
    quietSince = Date.now();
  }
  return all;
}
