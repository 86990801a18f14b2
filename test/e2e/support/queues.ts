// Reading what the platform delivered to an SQS queue, for e2e tests of dead-letter queues.
import { ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';

/** Polls `queueUrl` (1 s long polls, at most `attempts`) until a receive returns messages; answers them, or none. */
export async function receiveDelivered(sqs: SQSClient, queueUrl: string, attempts = 20): Promise<Message[]> {
  for (let i = 0; i < attempts; i++) {
    const messages = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1, MessageAttributeNames: ['All'] }))).Messages ?? [];
    if (messages.length > 0) return messages;
  }
  return [];
}
