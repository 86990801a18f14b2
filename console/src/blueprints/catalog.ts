// The blueprints the Create function page offers: hello-world, an HTTP endpoint behind a function
// URL, an SQS batch handler with partial batch failures, a scheduled (cron) job, an async function
// with retries and a dead-letter queue, a function that calls fetch, and S3 thumbnails (a bucket
// whose uploads trigger it, with an SNS topic as its dead-letter target); and hello-world, the HTTP
// endpoint and the SQS batch handler in Python (lambda_function.py, on MicroPython). Each is code,
// configuration, the resources it needs and a default test event that succeeds.
/// <reference path="../raw.d.ts" />
import thumbnailCode from '../../../test/fixtures/functions/thumbnail.mjs?raw';
import { functionUrlEvent, s3PutEvent, scheduledEvent, sqsBatchEvent } from './events';
import { queueArn, ruleArn, type Blueprint, type BlueprintSetting } from './types';

const RUNTIME = 'nodejs22.x';
const HANDLER = 'index.handler';

const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const RULE_NAME = /^[.\-_A-Za-z0-9]{1,64}$/;

/** A queue name setting, checked as SQS CreateQueue checks it. */
function queueSetting(key: string, label: string, suffix: string, hint: string): BlueprintSetting {
  return {
    key, label, hint,
    defaultValue: (fn) => `${fn}${suffix}`,
    problem: (value) => (QUEUE_NAME.test(value) ? undefined : 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length'),
  };
}

const helloWorld: Blueprint = {
  id: 'hello-world',
  title: 'Hello world',
  summary: 'A starter function that logs the values of its event and returns the first one.',
  uses: [],
  defaultFunctionName: 'hello-world',
  settings: [],
  function: () => ({
    runtime: RUNTIME, handler: HANDLER, memorySizeMb: 128, timeoutSeconds: 3,
    description: 'A starter function (blueprint hello-world)',
    files: {
      'index.mjs': `// Logs the three values of the test event and returns the first one.
export const handler = async (event, context) => {
  console.log('value1 =', event.key1);
  console.log('value2 =', event.key2);
  console.log('value3 =', event.key3);
  console.log('remaining time (ms):', context.getRemainingTimeInMillis());
  return event.key1;
};
`,
    },
  }),
  resources: () => [],
  testEvent: () => JSON.stringify({ key1: 'value1', key2: 'value2', key3: 'value3' }, null, 2),
};

const httpEndpoint: Blueprint = {
  id: 'http-endpoint',
  title: 'HTTP endpoint (function URL)',
  summary: 'A JSON API on its own public function URL (auth type NONE, CORS for any origin): GET greets, POST echoes the body.',
  uses: ['Function URL'],
  defaultFunctionName: 'http-endpoint',
  settings: [],
  function: () => ({
    runtime: RUNTIME, handler: HANDLER, memorySizeMb: 128, timeoutSeconds: 5,
    description: 'A JSON API behind a function URL (blueprint http-endpoint)',
    files: {
      'index.mjs': `// Answers requests to the function URL (HTTP API payload 2.0 events).
const json = (statusCode, body) => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

export const handler = async (event) => {
  const { method, path } = event.requestContext.http;
  console.log(method, path, event.rawQueryString);
  if (method === 'GET') {
    const name = event.queryStringParameters?.name ?? 'world';
    return json(200, { message: \`Hello, \${name}!\`, path });
  }
  if (method === 'POST') {
    const text = event.isBase64Encoded ? atob(event.body ?? '') : (event.body ?? '');
    try {
      return json(200, { received: JSON.parse(text || 'null') });
    } catch {
      return json(400, { error: 'The body is not JSON.' });
    }
  }
  return json(405, { error: \`\${method} is not allowed.\` });
};
`,
    },
  }),
  resources: () => [{
    kind: 'function-url',
    authType: 'NONE',
    cors: { AllowOrigins: ['*'], AllowMethods: ['GET', 'POST'], AllowHeaders: ['content-type'], MaxAge: 300 },
  }],
  testEvent: (ctx) => JSON.stringify(functionUrlEvent(ctx, 'GET', '/hello', { name: 'faasbox' }), null, 2),
};

/** Two messages: the first an order the handler processes, the second one without orderId, which fails alone. */
const SQS_TEST_MESSAGES = [
  { body: '{"orderId":"1001","item":"coffee","quantity":2}', md5OfBody: '8319e1baa7a29ab2d43f1165c753f0a7' },
  { body: '{"item":"tea","quantity":1}', md5OfBody: '7688f3cb35529ded17949c9b51684bba' },
];

const sqsBatch: Blueprint = {
  id: 'sqs-batch',
  title: 'SQS batch handler (partial batch failures)',
  summary: 'Processes messages of a new queue 10 at a time and reports only the failed ones (ReportBatchItemFailures); a message that fails 3 times moves to a dead-letter queue.',
  uses: ['SQS', 'Queue trigger'],
  defaultFunctionName: 'sqs-batch-processor',
  settings: [
    queueSetting('queueName', 'Queue name', '-queue', 'The queue the function reads (created now).'),
    queueSetting('deadLetterQueueName', 'Dead-letter queue name', '-dlq', 'Where a message goes after 3 failed receives (created now).'),
  ],
  function: () => ({
    runtime: RUNTIME, handler: HANDLER, memorySizeMb: 128, timeoutSeconds: 30,
    description: 'Processes an SQS queue with partial batch failures (blueprint sqs-batch)',
    files: {
      'index.mjs': `// Processes a batch of SQS messages. Only the messages that failed are reported
// (ReportBatchItemFailures): the others are deleted from the queue, these come back.
export const handler = async (event) => {
  const batchItemFailures = [];
  for (const record of event.Records) {
    try {
      await processMessage(record);
    } catch (error) {
      console.error(\`message \${record.messageId} failed: \${error.message}\`);
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  console.log(\`\${event.Records.length - batchItemFailures.length} of \${event.Records.length} messages processed\`);
  return { batchItemFailures };
};

async function processMessage(record) {
  const order = JSON.parse(record.body);
  if (!order.orderId) throw new Error('the message has no orderId');
  console.log(\`order \${order.orderId}: \${order.quantity} x \${order.item}\`);
}
`,
    },
  }),
  resources: (ctx) => [
    { kind: 'queue', name: ctx.settings.deadLetterQueueName },
    // The queue must hide a message at least as long as the function may run (Lambda checks it).
    { kind: 'queue', name: ctx.settings.queueName, visibilityTimeoutSeconds: 180, deadLetterQueue: { name: ctx.settings.deadLetterQueueName, maxReceiveCount: 3 } },
    { kind: 'queue-trigger', queueName: ctx.settings.queueName, batchSize: 10, reportBatchItemFailures: true },
  ],
  testEvent: (ctx) => JSON.stringify(sqsBatchEvent(ctx, queueArn(ctx, ctx.settings.queueName), SQS_TEST_MESSAGES), null, 2),
};

const scheduled: Blueprint = {
  id: 'scheduled',
  title: 'Scheduled job (cron)',
  summary: 'Runs on a schedule: an EventBridge rule with a cron expression invokes it (asynchronously) with the Scheduled Event.',
  uses: ['EventBridge schedule'],
  defaultFunctionName: 'scheduled-job',
  settings: [
    {
      key: 'ruleName', label: 'Rule name', hint: 'The EventBridge rule (created now).',
      defaultValue: (fn) => `${fn}-schedule`,
      problem: (value) => (value.length > 64 ? 'Member must have length less than or equal to 64'
        : RULE_NAME.test(value) ? undefined : 'Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+'),
    },
    {
      key: 'scheduleExpression', label: 'Schedule expression', hint: 'cron(minutes hours day-of-month month day-of-week year) in UTC, or rate(5 minutes).',
      defaultValue: () => 'cron(0/15 * * * ? *)',
      problem: (value) => (/^(cron\(.+\)|rate\(\d+ (minute|hour|day)s?\))$/.test(value) ? undefined : 'Parameter ScheduleExpression is not valid.'),
    },
  ],
  function: () => ({
    runtime: RUNTIME, handler: HANDLER, memorySizeMb: 128, timeoutSeconds: 60,
    description: 'A job run by an EventBridge schedule (blueprint scheduled)',
    files: {
      'index.mjs': `// Runs on the schedule of its EventBridge rule; event.time is the scheduled time.
export const handler = async (event) => {
  console.log(\`run scheduled for \${event.time} by \${event.resources?.[0]}\`);
  const report = await doTheJob(new Date(event.time));
  console.log('done:', JSON.stringify(report));
  return report;
};

async function doTheJob(scheduledFor) {
  // Replace with the real work: a cleanup, a report, a call to an API...
  return { scheduledFor: scheduledFor.toISOString(), finishedAt: new Date().toISOString() };
}
`,
    },
  }),
  resources: (ctx) => [{
    kind: 'schedule', ruleName: ctx.settings.ruleName, scheduleExpression: ctx.settings.scheduleExpression,
    description: `Runs ${ctx.functionName} (blueprint scheduled)`,
  }],
  testEvent: (ctx) => JSON.stringify(scheduledEvent(ctx, ruleArn(ctx, ctx.settings.ruleName)), null, 2),
};

const asyncWithDlq: Blueprint = {
  id: 'async-dlq',
  title: 'Async function with retries and a dead-letter queue',
  summary: 'Meant for asynchronous invocation (InvocationType Event): a failed event is retried twice, then sent with its error to a new dead-letter queue.',
  uses: ['SQS', 'Async invocation'],
  defaultFunctionName: 'async-with-dlq',
  settings: [queueSetting('deadLetterQueueName', 'Dead-letter queue name', '-dlq', 'Receives the events whose retries ran out (created now).')],
  function: (ctx) => ({
    runtime: RUNTIME, handler: HANDLER, memorySizeMb: 128, timeoutSeconds: 10,
    description: 'Async work with retries and a dead-letter queue (blueprint async-dlq)',
    deadLetterQueue: ctx.settings.deadLetterQueueName,
    files: {
      'index.mjs': `// Does work handed over asynchronously. Throwing makes Lambda retry the event (twice);
// after the last attempt it lands in the dead-letter queue with its error. Invoke with
// {"orderId": "1002", "fail": true} as an Event to watch that happen.
export const handler = async (event, context) => {
  console.log(\`attempt for \${context.awsRequestId}:\`, JSON.stringify(event));
  if (event.fail) throw new Error(\`order \${event.orderId} could not be processed\`);
  return { processed: event.orderId };
};
`,
    },
  }),
  resources: (ctx) => [
    { kind: 'queue', name: ctx.settings.deadLetterQueueName },
    { kind: 'async-config', maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 },
  ],
  testEvent: () => JSON.stringify({ orderId: '1001', fail: false }, null, 2),
};

const fetchUrl: Blueprint = {
  id: 'fetch',
  title: 'Call an HTTP API with fetch',
  summary: 'Fetches the URL of its event and returns the status, content type, size and page title; a network failure or a refused address is returned, not thrown.',
  uses: ['Outbound fetch'],
  defaultFunctionName: 'fetch-url',
  settings: [],
  function: () => ({
    runtime: RUNTIME, handler: HANDLER, memorySizeMb: 128, timeoutSeconds: 10,
    description: 'Calls an HTTP API with fetch (blueprint fetch)',
    files: {
      'index.mjs': `// Fetches event.url. faasbox lets functions reach public addresses only: private,
// loopback and metadata addresses are refused with a TypeError, like a network error.
export const handler = async (event) => {
  const url = event.url ?? 'https://example.com/';
  const started = Date.now();
  try {
    const response = await fetch(url, { headers: { accept: 'text/html, application/json' } });
    const text = await response.text();
    const title = /<title>([^<]*)<\\/title>/i.exec(text)?.[1] ?? null;
    console.log(\`GET \${url}: \${response.status} in \${Date.now() - started} ms\`);
    return { url, ok: response.ok, status: response.status, contentType: response.headers.get('content-type'), length: text.length, title };
  } catch (error) {
    console.error(\`GET \${url} failed: \${error.message}\`);
    return { url, ok: false, error: error.message };
  }
};
`,
    },
  }),
  resources: () => [],
  testEvent: () => JSON.stringify({ url: 'https://example.com/' }, null, 2),
};

const PYTHON_RUNTIME = 'python3.13';
const PYTHON_HANDLER = 'lambda_function.lambda_handler';

/**
 * A Python version of `blueprint` (MicroPython, Lambda's Python conventions): the same resources,
 * settings and test event, its own code in lambda_function.py.
 */
function inPython(blueprint: Blueprint, title: string, description: string, source: string): Blueprint {
  return {
    ...blueprint,
    id: `python-${blueprint.id}`,
    title,
    uses: ['Python', ...blueprint.uses],
    defaultFunctionName: `python-${blueprint.defaultFunctionName}`,
    function: (ctx) => ({ ...blueprint.function(ctx), runtime: PYTHON_RUNTIME, handler: PYTHON_HANDLER, description, files: { 'lambda_function.py': source } }),
  };
}

const pythonHelloWorld = inPython(helloWorld, 'Python hello world', 'A starter function in Python (blueprint python-hello-world)', `import json


def lambda_handler(event, context):
    """Logs the three values of the test event and returns the first one."""
    print('value1 =', event['key1'])
    print('value2 =', event['key2'])
    print('value3 =', event['key3'])
    print('remaining time (ms):', context.get_remaining_time_in_millis())
    return event['key1']
`);

const pythonHttpEndpoint = inPython(httpEndpoint, 'Python HTTP endpoint (function URL)', 'A JSON API in Python behind a function URL (blueprint python-http-endpoint)', `import base64
import json


def respond(status_code, body):
    return {'statusCode': status_code, 'headers': {'content-type': 'application/json'}, 'body': json.dumps(body)}


def lambda_handler(event, context):
    """Answers requests to the function URL (HTTP API payload 2.0 events)."""
    http = event['requestContext']['http']
    method, path = http['method'], http['path']
    print(method, path, event.get('rawQueryString', ''))
    if method == 'GET':
        name = (event.get('queryStringParameters') or {}).get('name', 'world')
        return respond(200, {'message': 'Hello, {}!'.format(name), 'path': path})
    if method == 'POST':
        text = event.get('body') or ''
        if event.get('isBase64Encoded'):
            text = base64.b64decode(text).decode()
        try:
            return respond(200, {'received': json.loads(text or 'null')})
        except ValueError:
            return respond(400, {'error': 'The body is not JSON.'})
    return respond(405, {'error': '{} is not allowed.'.format(method)})
`);

const pythonSqsBatch = inPython(sqsBatch, 'Python SQS batch handler (partial batch failures)', 'Processes an SQS queue in Python with partial batch failures (blueprint python-sqs-batch)', `import json


def process_message(record):
    order = json.loads(record['body'])
    if 'orderId' not in order:
        raise ValueError('the message has no orderId')
    print('order {}: {} x {}'.format(order['orderId'], order['quantity'], order['item']))


def lambda_handler(event, context):
    """Processes a batch of SQS messages; only the failed ones are reported (ReportBatchItemFailures)."""
    failures = []
    for record in event['Records']:
        try:
            process_message(record)
        except Exception as error:
            print('message {} failed: {}'.format(record['messageId'], error))
            failures.append({'itemIdentifier': record['messageId']})
    print('{} of {} messages processed'.format(len(event['Records']) - len(failures), len(event['Records'])))
    return {'batchItemFailures': failures}
`);


/**
 * What is wrong with a bucket name, as S3's rules for general purpose buckets have it: 3 to 63
 * lowercase letters, digits, dots and hyphens, a letter or digit at both ends, no "..", no IPv4
 * form, none of the reserved prefixes and suffixes. S3 answers all of them InvalidBucketName.
 */
export function bucketNameProblem(name: string): string | undefined {
  const why = name.length < 3 || name.length > 63 ? '3 to 63 characters'
    : !/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name) ? 'lowercase letters, digits, dots and hyphens only, beginning and ending with a letter or digit'
      : name.includes('..') ? 'no two adjacent dots'
        : /^\d+\.\d+\.\d+\.\d+$/.test(name) ? 'not formatted as an IP address'
          : ['xn--', 'sthree-', 'amzn-s3-demo-'].find((p) => name.startsWith(p)) ? 'not beginning with xn--, sthree- or amzn-s3-demo-'
            : ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'].find((p) => name.endsWith(p)) ? 'not ending with -s3alias, --ol-s3, .mrap, --x-s3 or --table-s3'
              : undefined;
  return why && `The specified bucket is not valid (InvalidBucketName): ${why}.`;
}

/** `<function name, lowercased, other characters as hyphens>-<unique>`, within 63 characters. */
function defaultBucketName(functionName: string, unique: string): string {
  const base = functionName.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63 - unique.length - 1).replace(/-+$/, '');
  return `${base || 'uploads'}-${unique}`;
}

const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;
const SAMPLE_KEY = 'sample.jpg';
const SAMPLE_SIZE = { width: 320, height: 240 };
const NOTIFICATION_ID = 'thumbnails';

const s3Thumbnail: Blueprint = {
  id: 's3-thumbnail',
  title: 'S3 thumbnails',
  summary: 'Every .jpg uploaded to a new bucket is scaled to 128 pixels wide (jpeg-js, bundled) and written to thumbnails/<key>. No retries (MaximumRetryAttempts 0): an image it cannot read goes at once to an SNS topic, whose subscribed queue keeps it with the error.',
  uses: ['S3', 'SNS', 'SQS', 'Async invocation'],
  defaultFunctionName: 's3-thumbnail',
  settings: [
    {
      key: 'bucketName', label: 'Bucket name', hint: 'The bucket whose .jpg uploads make thumbnails (created now). Bucket names are global: the default ends with random characters.',
      defaultValue: defaultBucketName,
      problem: bucketNameProblem,
    },
    {
      key: 'topicName', label: 'Dead-letter topic name', hint: 'The SNS topic a failed image goes to (created now).',
      defaultValue: (fn) => `${fn}-failures`,
      problem: (value) => (TOPIC_NAME.test(value) ? undefined : 'Topic names must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.'),
    },
    queueSetting('deadLetterQueueName', 'Dead-letter queue name', '-dlq', 'Subscribed to the topic: keeps each failed event with its error (created now).'),
  ],
  function: (ctx) => ({
    runtime: RUNTIME, handler: HANDLER, memorySizeMb: 256, timeoutSeconds: 60,
    description: 'Writes thumbnails of the JPEGs uploaded to its bucket (blueprint s3-thumbnail)',
    deadLetterTopic: ctx.settings.topicName,
    files: { 'index.mjs': thumbnailCode },
    bundledFiles: {
      describe: 'node_modules/jpeg-js (jpeg-js 0.4.4: package.json, index.js, lib/encoder.js, lib/decoder.js, LICENSE)',
      load: async () => (await import('./thumbnail-bundle')).JPEG_JS_FILES,
    },
  }),
  resources: (ctx) => [
    { kind: 'bucket', name: ctx.settings.bucketName },
    // Before the notification exists, so only the default test event makes its thumbnail.
    { kind: 'sample-image', bucket: ctx.settings.bucketName, key: SAMPLE_KEY, ...SAMPLE_SIZE },
    { kind: 'queue', name: ctx.settings.deadLetterQueueName },
    { kind: 'topic', name: ctx.settings.topicName, subscribedQueue: ctx.settings.deadLetterQueueName },
    { kind: 'async-config', maximumRetryAttempts: 0, maximumEventAgeInSeconds: 21600 },
    { kind: 'bucket-notification', bucket: ctx.settings.bucketName, id: NOTIFICATION_ID, events: ['s3:ObjectCreated:*'], suffix: '.jpg' },
  ],
  testEvent: (ctx) => JSON.stringify(s3PutEvent(ctx, ctx.sampleObject ?? { bucket: ctx.settings.bucketName, key: SAMPLE_KEY, size: 0, eTag: '(set when the sample is uploaded)' }, NOTIFICATION_ID), null, 2),
  notInPlayground: 'A playground sandbox cannot create this blueprint: its functions time out after at most 10 seconds (this one needs 60), and faasbox has no bucket or topic quotas for sandboxes yet, so the console creates no S3 bucket or SNS topic there.',
};

export const BLUEPRINTS: readonly Blueprint[] = [helloWorld, httpEndpoint, sqsBatch, scheduled, asyncWithDlq, fetchUrl, s3Thumbnail, pythonHelloWorld, pythonHttpEndpoint, pythonSqsBatch];

export function blueprintById(id: string): Blueprint | undefined {
  return BLUEPRINTS.find((b) => b.id === id);
}

/** The settings' values: the defaults for `functionName` (and the form's `unique`), overridden by what the user typed. */
export function settingValues(blueprint: Blueprint, functionName: string, edited: Record<string, string>, unique = 'example'): Record<string, string> {
  return Object.fromEntries(blueprint.settings.map((s) => [s.key, edited[s.key] ?? s.defaultValue(functionName, unique)]));
}
