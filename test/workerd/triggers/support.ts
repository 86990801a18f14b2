// Queue-trigger test support: queues with attributes, mappings through the Lambda API, and
// reading a queue's counts.
import type { Tenant } from '../support/signed-client';
import { logsApi, sqsApi } from '../support/aws-json-client';

export interface TestQueue {
  name: string;
  url: string;
  arn: string;
}

export async function createQueue(tenant: Tenant, name: string, attributes: Record<string, string> = {}): Promise<TestQueue> {
  const { QueueUrl } = await sqsApi.call<{ QueueUrl: string }>(tenant, 'CreateQueue', { QueueName: name, Attributes: attributes });
  return { name, url: QueueUrl, arn: `arn:aws:sqs:us-east-1:${tenant.accountId}:${name}` };
}

export interface MappingConfiguration {
  UUID: string;
  State: string;
  BatchSize: number;
  MaximumBatchingWindowInSeconds: number;
  EventSourceArn: string;
  FunctionArn: string;
  FunctionResponseTypes: string[];
  LastModified: number;
  StateTransitionReason: string;
  EventSourceMappingArn: string;
}

/** CreateEventSourceMapping; expects 202. */
export async function createMapping(tenant: Tenant, body: Record<string, unknown>): Promise<MappingConfiguration> {
  const response = await tenant.send('POST', '/2015-03-31/event-source-mappings/', body);
  if (response.status !== 202) throw new Error(`CreateEventSourceMapping failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as MappingConfiguration;
}

/** Visible, in-flight and delayed message counts of a queue. */
export async function queueCounts(tenant: Tenant, queue: TestQueue): Promise<{ visible: number; inFlight: number; delayed: number }> {
  const { Attributes } = await sqsApi.call<{ Attributes: Record<string, string> }>(tenant, 'GetQueueAttributes', { QueueUrl: queue.url, AttributeNames: ['All'] });
  return {
    visible: Number(Attributes.ApproximateNumberOfMessages),
    inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible),
    delayed: Number(Attributes.ApproximateNumberOfMessagesDelayed),
  };
}

/** Sends `bodies` in parallel groups of 50. */
export async function sendAll(tenant: Tenant, queue: TestQueue, bodies: string[]): Promise<void> {
  for (let i = 0; i < bodies.length; i += 50) {
    await Promise.all(bodies.slice(i, i + 50).map((MessageBody) => sqsApi.call(tenant, 'SendMessage', { QueueUrl: queue.url, MessageBody })));
  }
}

/** Every console line of `functionName` containing `term`, oldest first: the text after the level. */
export async function logLines(tenant: Tenant, functionName: string, term: string): Promise<string[]> {
  const lines: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await logsApi.call<{ events: { message: string }[]; nextToken?: string }>(tenant, 'FilterLogEvents', {
      logGroupName: `/aws/lambda/${functionName}`, filterPattern: `"${term}"`, ...(nextToken ? { nextToken } : {}),
    }).catch((error: Error) => {
      if (error.message.includes('ResourceNotFoundException')) return { events: [], nextToken: undefined };
      throw error;
    });
    for (const event of page.events) lines.push(event.message.split('\t').slice(3).join('\t').trimEnd());
    nextToken = page.nextToken;
  } while (nextToken);
  return lines;
}
