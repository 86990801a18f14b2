// Test events in the shapes faasbox really delivers: the function URL's HTTP API payload 2.0
// (src/function-urls/event.ts), the SQS batch of a queue trigger (src/triggers/sqs-event.ts),
// EventBridge's Scheduled Event (src/schedules/scheduled-event.ts) and S3's event notification
// record (src/s3/notifications.ts).
import type { BlueprintContext, UploadedObject } from './types';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** requestContext.time in Common Log Format: `12/Mar/2020:19:03:58 +0000`. */
function clfTime(date: Date): string {
  return `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

/** A GET of `path?query` through the function's URL (a placeholder host until the URL exists). */
export function functionUrlEvent(ctx: BlueprintContext, method: string, path: string, query: Record<string, string>, now = new Date()) {
  const host = ctx.functionUrl ? new URL(ctx.functionUrl).host : `abcdefghijklmnopqrstuvwxyz234567.lambda-url.${ctx.region}.localhost`;
  const urlId = host.split('.')[0];
  const rawQueryString = new URLSearchParams(query).toString();
  const userAgent = 'Mozilla/5.0 (faasbox console test event)';
  const sourceIp = '203.0.113.7';
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString,
    headers: {
      accept: 'application/json',
      host,
      'user-agent': userAgent,
      'x-forwarded-for': sourceIp,
      'x-forwarded-proto': 'https',
      'x-forwarded-port': '443',
    },
    ...(rawQueryString ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: 'anonymous',
      apiId: urlId,
      domainName: host,
      domainPrefix: urlId,
      http: { method, path, protocol: 'HTTP/1.1', sourceIp, userAgent },
      requestId: crypto.randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: clfTime(now),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: false,
  };
}

/** One SQS message as the trigger hands it over; `md5OfBody` is the hex MD5 of `body`, as SQS computes it. */
export interface SqsTestMessage {
  body: string;
  md5OfBody: string;
}

/** A batch of `messages` from the queue `queueArn`, first receives, sent a few seconds ago. */
export function sqsBatchEvent(ctx: BlueprintContext, queueArn: string, messages: SqsTestMessage[], now = Date.now()) {
  return {
    Records: messages.map((message, i) => ({
      messageId: crypto.randomUUID(),
      // Any text: the trigger, not the function, deletes the messages.
      receiptHandle: `test-receipt-handle-${i + 1}`,
      body: message.body,
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: String(now - 5000),
        SenderId: ctx.accountId,
        ApproximateFirstReceiveTimestamp: String(now - 4000),
      },
      messageAttributes: {},
      md5OfBody: message.md5OfBody,
      eventSource: 'aws:sqs',
      eventSourceARN: queueArn,
      awsRegion: ctx.region,
    })),
  };
}

/** The Scheduled Event a rule's firing delivers; `time` is the scheduled minute, without milliseconds. */
export function scheduledEvent(ctx: BlueprintContext, ruleArn: string, now = Date.now()) {
  return {
    version: '0',
    id: crypto.randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: ctx.accountId,
    time: new Date(Math.floor(now / 60_000) * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: ctx.region,
    resources: [ruleArn],
    detail: {},
  };
}

/**
 * S3's notification for `object` created by a PutObject of this account (eventVersion 2.1), as a
 * bucket's configuration `configurationId` delivers it: the key URL-encoded with + for spaces.
 */
export function s3PutEvent(ctx: BlueprintContext, object: UploadedObject, configurationId: string, now = new Date()) {
  const requestId = crypto.randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase();
  return {
    Records: [{
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: ctx.region,
      eventTime: now.toISOString(),
      eventName: 'ObjectCreated:Put',
      userIdentity: { principalId: `AWS:${ctx.accountId}` },
      requestParameters: { sourceIPAddress: '203.0.113.7' },
      responseElements: { 'x-amz-request-id': requestId, 'x-amz-id-2': requestId },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId,
        bucket: { name: object.bucket, ownerIdentity: { principalId: ctx.accountId }, arn: `arn:aws:s3:::${object.bucket}` },
        object: { key: encodeURIComponent(object.key).replace(/%20/g, '+').replace(/%2F/g, '/'), size: object.size, eTag: object.eTag, sequencer: now.getTime().toString(16).toUpperCase().padStart(16, '0') },
      },
    }],
  };
}
