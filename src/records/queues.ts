// A tenant's queues and messages as the QueueStore stores and answers them (docs/QUEUES.md).
import type { Tags } from './tags';

export const RECEIVE_MAX_MESSAGES = 10;
export const VISIBILITY_TIMEOUT_MAX_SECONDS = 43_200;

/** Where a queue's messages go after too many receives (SQS's RedrivePolicy). */
export interface RedrivePolicy {
  /** A queue of the same account. */
  deadLetterTargetArn: string;
  /** Receives after which the next receive moves the message to the dead-letter queue. */
  maxReceiveCount: number;
}

/** A standard queue's settings, each with its unit. */
export interface QueueSettings {
  visibilityTimeoutSeconds: number;
  messageRetentionSeconds: number;
  delaySeconds: number;
  receiveWaitTimeSeconds: number;
  maximumMessageBytes: number;
  redrivePolicy?: RedrivePolicy;
}

/** One message attribute as the JSON protocol carries it; `BinaryValue` is base64. */
export interface MessageAttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
}

export type MessageAttributes = Record<string, MessageAttributeValue>;

/** A queue and its settings; timestamps are epoch milliseconds. */
export interface QueueRecord {
  name: string;
  settings: QueueSettings;
  createdAtMs: number;
  modifiedAtMs: number;
  /** Its tags (CreateQueue's tags, TagQueue); absent when there are none. */
  tags?: Tags;
}

/** Approximate message counts, as GetQueueAttributes reports them. */
export interface QueueCounts {
  visible: number;
  inFlight: number;
  delayed: number;
}

/** What SendMessage answers. */
export interface SentMessage {
  messageId: string;
  md5OfMessageBody: string;
  md5OfMessageAttributes?: string;
}

/** A message as one receive handed it out: `receiptHandle` is new at each receive. */
export interface ReceivedMessage {
  messageId: string;
  body: string;
  md5OfBody: string;
  messageAttributes: MessageAttributes;
  md5OfMessageAttributes?: string;
  senderId: string;
  sentAtMs: number;
  receiveCount: number;
  firstReceivedAtMs: number;
  receiptHandle: string;
}
