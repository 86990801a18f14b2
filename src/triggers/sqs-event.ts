// The SQS event a queue-triggered function receives, and how its reply is read: Lambda's
// partial batch response (ReportBatchItemFailures) with Lambda's success and failure rules.
import type { ReceivedMessage } from '../records/queues';

/** One record of the SQS event (the shape of @types/aws-lambda's SQSRecord). */
export interface SqsRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: { ApproximateReceiveCount: string; SentTimestamp: string; SenderId: string; ApproximateFirstReceiveTimestamp: string };
  messageAttributes: Record<string, { stringValue?: string; binaryValue?: string; stringListValues: string[]; binaryListValues: string[]; dataType: string }>;
  md5OfMessageAttributes?: string;
  md5OfBody: string;
  eventSource: 'aws:sqs';
  eventSourceARN: string;
  awsRegion: string;
}

/** A received message as the function sees it; message attributes in the event's lower-case shape. */
export function sqsRecord(message: ReceivedMessage, eventSourceArn: string, region: string): SqsRecord {
  const attributes = Object.entries(message.messageAttributes);
  return {
    messageId: message.messageId,
    receiptHandle: message.receiptHandle,
    body: message.body,
    attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(message.sentAtMs),
      SenderId: message.senderId,
      ApproximateFirstReceiveTimestamp: String(message.firstReceivedAtMs),
    },
    messageAttributes: Object.fromEntries(attributes.map(([name, a]) => [name, {
      ...(a.StringValue !== undefined ? { stringValue: a.StringValue } : {}),
      ...(a.BinaryValue !== undefined ? { binaryValue: a.BinaryValue } : {}),
      stringListValues: [],
      binaryListValues: [],
      dataType: a.DataType,
    }])),
    ...(attributes.length > 0 && message.md5OfMessageAttributes ? { md5OfMessageAttributes: message.md5OfMessageAttributes } : {}),
    md5OfBody: message.md5OfBody,
    eventSource: 'aws:sqs',
    eventSourceARN: eventSourceArn,
    awsRegion: region,
  };
}

/** Which messages of a batch failed: every one, or the listed ones (possibly none). */
export type BatchFailures = { all: true } | { all: false; messageIds: Set<string> };

/**
 * Reads a successful invocation's reply under ReportBatchItemFailures, as Lambda does:
 * 1. A complete success: null, an object without `batchItemFailures` or with it null or empty.
 * 2. The listed failures: `{"batchItemFailures": [{"itemIdentifier": "<messageId>"}, ...]}`.
 * 3. A complete failure (the reply is malformed): a reply that is not an object (a string, a
 *    number, an array), `batchItemFailures` not a list, an entry that is not an object, or an
 *    `itemIdentifier` that is missing, null, empty, not a string or not a message of the batch.
 */
export function readBatchResponse(payloadJson: string, batchMessageIds: Set<string>): BatchFailures {
  const reply: unknown = JSON.parse(payloadJson);
  if (reply === null) return { all: false, messageIds: new Set() };
  if (typeof reply !== 'object' || Array.isArray(reply)) return { all: true };
  const failures = (reply as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return { all: false, messageIds: new Set() };
  if (!Array.isArray(failures)) return { all: true };
  const messageIds = new Set<string>();
  for (const failure of failures) {
    const id = typeof failure === 'object' && failure !== null ? (failure as { itemIdentifier?: unknown }).itemIdentifier : undefined;
    if (typeof id !== 'string' || !batchMessageIds.has(id)) return { all: true };
    messageIds.add(id);
  }
  return { all: false, messageIds };
}
