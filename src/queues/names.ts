// Queue names, URLs and ARNs: how a queue is named, addressed over HTTP and referenced by
// Lambda's dead-letter and destination settings. An address of another account is "not found".
import type { QueueFailure } from './errors';

export const QUEUE_NAME_MAX_CHARS = 80;
const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const QUEUE_ARN = /^arn:aws:sqs:([a-z]{2}(?:-gov)?-[a-z]+-\d):(\d{12}):([A-Za-z0-9_.-]{1,80})$/;

/** Where a queue lives: its account, region and name. */
export interface QueueAddress {
  accountId: string;
  region: string;
  name: string;
}

/** Checks a new queue's name: 1-80 of [A-Za-z0-9_-]; FIFO (`.fifo`) queues are refused. */
export function checkQueueName(name: unknown): QueueFailure | undefined {
  if (typeof name !== 'string' || name.length === 0) return { ok: false, error: 'MissingParameter', message: 'The request must contain the parameter QueueName.' };
  if (name.endsWith('.fifo')) return { ok: false, error: 'UnsupportedOperation', message: 'FIFO queues are not supported: use a standard queue (a name without the .fifo suffix).' };
  if (!QUEUE_NAME.test(name)) {
    return { ok: false, error: 'InvalidParameterValue', message: `Can only include alphanumeric characters, hyphens, or underscores. 1 to ${QUEUE_NAME_MAX_CHARS} in length` };
  }
  return undefined;
}

/**
 * A queue's URL: `${origin}/${accountId}/${name}`, origin being the one the client called.
 * @example queueUrl('http://127.0.0.1:8787', '123456789012', 'dlq') // 'http://127.0.0.1:8787/123456789012/dlq'
 */
export function queueUrl(origin: string, accountId: string, name: string): string {
  return `${origin}/${accountId}/${name}`;
}

/**
 * Reads the account and queue name from a queue URL; the origin is not compared (clients may
 * reach faasbox under several hosts). Undefined when the URL does not have that shape.
 */
export function parseQueueUrl(url: string): { accountId: string; name: string } | undefined {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return undefined;
  }
  const match = /^\/(\d{12})\/([^/]+)\/?$/.exec(path);
  return match ? { accountId: match[1], name: decodeName(match[2]) } : undefined;
}

/**
 * A percent-decoded path segment. A malformed escape (`%ZZ`) stays as it is: its `%` is in no
 * queue name, so the URL names a queue that does not exist (SQS's answer), not a server error.
 */
function decodeName(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** @example queueArn('us-east-1', '123456789012', 'dlq') // 'arn:aws:sqs:us-east-1:123456789012:dlq' */
export function queueArn(region: string, accountId: string, name: string): string {
  return `arn:aws:sqs:${region}:${accountId}:${name}`;
}

/** Whether `arn` has the shape of an SQS queue ARN (`arn:aws:sqs:<region>:<account>:<name>`). */
export function isQueueArn(arn: string): boolean {
  return QUEUE_ARN.test(arn);
}

/** The region, account and name of a queue ARN; undefined when `arn` is not one. */
export function parseQueueArn(arn: string): QueueAddress | undefined {
  const match = QUEUE_ARN.exec(arn);
  return match ? { region: match[1], accountId: match[2], name: match[3] } : undefined;
}
