// The Test tab's event templates: the shapes faasbox itself sends (function URL payload 2.0 as
// src/function-urls/event.ts builds it, the SQS batch of src/triggers/sqs-event.ts, EventBridge's
// Scheduled Event of src/schedules/scheduled-event.ts, the async destination record of
// src/invoke/async-events.ts), API Gateway's REST (v1) proxy event and Lambda's hello-world.

export interface TemplateContext {
  functionName: string;
  accountId: string;
  region: string;
}

export interface EventTemplate {
  id: string;
  label: string;
  event(context: TemplateContext): unknown;
}

const uuid = () => crypto.randomUUID();
const isoSeconds = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');
/** requestContext.time of payload 2.0: Common Log Format, `12/Mar/2020:19:03:58 +0000`. */
function clfTime(date: Date): string {
  const [, day, month, year, time] = /^\w+, (\d+) (\w+) (\d+) ([\d:]+)/.exec(date.toUTCString())!.slice(0, 5);
  return `${day.padStart(2, '0')}/${month}/${year}:${time} +0000`;
}

export const EVENT_TEMPLATES: EventTemplate[] = [
  { id: 'hello-world', label: 'hello-world', event: () => ({ key1: 'value1', key2: 'value2', key3: 'value3' }) },
  {
    id: 'function-url',
    label: 'Function URL (HTTP payload 2.0)',
    event: ({ accountId }) => {
      const now = new Date();
      const urlId = 'abcdefghijklmnopqrstuvwxyz012345';
      return {
        version: '2.0',
        routeKey: '$default',
        rawPath: '/orders',
        rawQueryString: 'page=1',
        headers: { 'content-type': 'application/json', host: `${urlId}.lambda-url.localhost`, 'user-agent': 'curl/8.5.0', 'x-forwarded-for': '127.0.0.1', 'x-forwarded-proto': 'http', 'x-forwarded-port': '80' },
        queryStringParameters: { page: '1' },
        requestContext: {
          accountId: 'anonymous',
          apiId: urlId,
          domainName: `${urlId}.lambda-url.localhost`,
          domainPrefix: urlId,
          http: { method: 'POST', path: '/orders', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'curl/8.5.0' },
          requestId: uuid(),
          routeKey: '$default',
          stage: '$default',
          time: clfTime(now),
          timeEpoch: now.getTime(),
        },
        body: JSON.stringify({ item: 'book', quantity: 1, account: accountId }),
        isBase64Encoded: false,
      };
    },
  },
  {
    id: 'sqs',
    label: 'SQS batch',
    event: ({ accountId, region }) => {
      const record = (body: string) => ({
        messageId: uuid(),
        receiptHandle: `${uuid()}#1`,
        body,
        attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(Date.now()), SenderId: accountId, ApproximateFirstReceiveTimestamp: String(Date.now()) },
        messageAttributes: {},
        md5OfBody: '7b270e59b47ff90a553787216d55d91d',
        eventSource: 'aws:sqs',
        eventSourceARN: `arn:aws:sqs:${region}:${accountId}:my-queue`,
        awsRegion: region,
      });
      return { Records: [record('{"orderId": 1}'), record('{"orderId": 2}')] };
    },
  },
  {
    id: 'schedule',
    label: 'EventBridge scheduled event',
    event: ({ accountId, region }) => ({
      version: '0',
      id: uuid(),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: accountId,
      time: isoSeconds(new Date()),
      region,
      resources: [`arn:aws:events:${region}:${accountId}:rule/my-schedule`],
      detail: {},
    }),
  },
  {
    id: 'destination',
    label: 'Async destination record',
    event: ({ accountId, region, functionName }) => ({
      version: '1.0',
      timestamp: new Date().toISOString(),
      requestContext: { requestId: uuid(), functionArn: `arn:aws:lambda:${region}:${accountId}:function:${functionName}:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      requestPayload: { key1: 'value1' },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'Error', errorMessage: 'Something went wrong', trace: ['Error: Something went wrong', '    at handler (index.js:3:9)'] },
    }),
  },
  {
    id: 'api-gateway',
    label: 'API Gateway proxy (REST v1)',
    event: ({ accountId }) => ({
      resource: '/{proxy+}',
      path: '/orders/42',
      httpMethod: 'GET',
      headers: { Accept: 'application/json', Host: 'abc123.execute-api.us-east-1.amazonaws.com', 'User-Agent': 'curl/8.5.0' },
      multiValueHeaders: { Accept: ['application/json'], Host: ['abc123.execute-api.us-east-1.amazonaws.com'], 'User-Agent': ['curl/8.5.0'] },
      queryStringParameters: { verbose: 'true' },
      multiValueQueryStringParameters: { verbose: ['true'] },
      pathParameters: { proxy: 'orders/42' },
      stageVariables: null,
      requestContext: {
        accountId,
        apiId: 'abc123',
        resourceId: 'xyz789',
        resourcePath: '/{proxy+}',
        httpMethod: 'GET',
        path: '/prod/orders/42',
        protocol: 'HTTP/1.1',
        stage: 'prod',
        requestId: uuid(),
        requestTimeEpoch: Date.now(),
        identity: { sourceIp: '127.0.0.1', userAgent: 'curl/8.5.0' },
      },
      body: null,
      isBase64Encoded: false,
    }),
  },
];

export function templateEventJson(template: EventTemplate, context: TemplateContext): string {
  return JSON.stringify(template.event(context), null, 2);
}
