// The API's edges: error shapes of both protocols, tenant isolation, unknown operations, and the
// Query protocol (form-encoded requests, XML answers) that older clients such as boto3 1.26 speak.
import { describe, expect, it } from 'vitest';
import { exports } from 'cloudflare:workers';
import { createSqsTenant, ORIGIN } from './sqs-client';

describe('error shape (JSON protocol)', () => {
  it('answers QueueDoesNotExist as awsQueryCompatible SQS does', async () => {
    const tenant = await createSqsTenant();
    const response = await tenant.call('GetQueueUrl', { QueueName: 'missing' });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.0');
    expect(response.headers.get('x-amzn-errortype')).toBe('QueueDoesNotExist');
    expect(response.headers.get('x-amzn-query-error')).toBe('AWS.SimpleQueueService.NonExistentQueue;Sender');
    expect(response.headers.get('x-amzn-requestid')).toBeTruthy();
    expect(await response.json()).toEqual({ __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'The specified queue does not exist.' });
  });

  it('refuses an unknown SQS operation, malformed JSON and a QueueUrl that is not one', async () => {
    const tenant = await createSqsTenant();
    expect((await tenant.call('ChangeMessageVisibility', {})).headers.get('x-amzn-errortype')).toBe('UnknownOperation');
    expect((await tenant.call('SendMessage', '{not json')).headers.get('x-amzn-errortype')).toBe('SerializationException');
    expect((await tenant.call('SendMessage', { QueueUrl: 'nope', MessageBody: 'x' })).headers.get('x-amzn-errortype')).toBe('InvalidAddress');
    expect((await tenant.call('SendMessage', { MessageBody: 'x' })).headers.get('x-amzn-errortype')).toBe('MissingParameter');
  });

  it('answers QueueDoesNotExist, not 500, for a QueueUrl with a malformed percent-escape, in both protocols', async () => {
    const tenant = await createSqsTenant();
    await tenant.ok('CreateQueue', { QueueName: 'real' });
    for (const QueueUrl of [tenant.url('q%ZZ'), tenant.url('%'), tenant.url('%E0%A4%A'), tenant.url('real%')]) {
      for (const [op, input] of [
        ['SendMessage', { QueueUrl, MessageBody: 'x' }], ['ReceiveMessage', { QueueUrl }], ['GetQueueAttributes', { QueueUrl }],
        ['SetQueueAttributes', { QueueUrl, Attributes: { VisibilityTimeout: '5' } }], ['DeleteMessage', { QueueUrl, ReceiptHandle: 'x' }],
        ['PurgeQueue', { QueueUrl }], ['DeleteQueue', { QueueUrl }],
      ] as const) {
        const response = await tenant.call(op, input);
        expect(response.status, `${op} ${QueueUrl}`).toBe(400);
        expect(await response.json()).toEqual({ __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'The specified queue does not exist.' });
      }
      const query = await tenant.query({ Action: 'SendMessage', QueueUrl, MessageBody: 'x' });
      expect(query.status).toBe(400);
      expect(await query.text()).toContain('<Code>AWS.SimpleQueueService.NonExistentQueue</Code>');
    }
    expect(await tenant.ok('ListQueues')).toEqual({ QueueUrls: [tenant.url('real')] });
  });

  it('leaves requests for other services to the rest of the app', async () => {
    const tenant = await createSqsTenant();
    const json = await tenant.call('DynamoDB_20120810.ListTables', {});
    expect(json.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    // EC2's Query API: a service faasbox does not speak.
    const query = await tenant.query({ Action: 'DescribeInstances', Version: '2016-11-15' });
    expect(query.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
  });

  it('refuses unsigned requests before any queue is touched', async () => {
    const response = await exports.default.fetch(`${ORIGIN}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ListQueues' },
      body: '{}',
    });
    expect(response.status).toBe(403);
  });
});

describe('tenant isolation', () => {
  it('answers QueueDoesNotExist for every operation on another account\'s queue', async () => {
    const owner = await createSqsTenant('owner');
    const other = await createSqsTenant('other');
    const { QueueUrl } = await owner.ok('CreateQueue', { QueueName: 'private' });
    await owner.ok('SendMessage', { QueueUrl, MessageBody: 'secret' });
    for (const [op, input] of [
      ['SendMessage', { QueueUrl, MessageBody: 'x' }], ['ReceiveMessage', { QueueUrl }], ['GetQueueAttributes', { QueueUrl, AttributeNames: ['All'] }],
      ['PurgeQueue', { QueueUrl }], ['DeleteQueue', { QueueUrl }], ['DeleteMessage', { QueueUrl, ReceiptHandle: 'x'.repeat(64) }],
      ['GetQueueUrl', { QueueName: 'private', QueueOwnerAWSAccountId: owner.accountId }], ['GetQueueUrl', { QueueName: 'private' }],
    ] as const) {
      expect((await other.call(op, input)).headers.get('x-amzn-errortype'), op).toBe('QueueDoesNotExist');
    }
    expect(await other.ok('ListQueues')).toEqual({});
    // The same name in another account is another queue.
    const { QueueUrl: otherUrl } = await other.ok('CreateQueue', { QueueName: 'private' });
    expect(otherUrl).toBe(other.url('private'));
    expect(await other.ok('ReceiveMessage', { QueueUrl: otherUrl })).toEqual({});
    expect((await owner.ok('ReceiveMessage', { QueueUrl })).Messages[0].Body).toBe('secret');
  });
});

describe('Query protocol', () => {
  it('creates, sends with attributes, receives and deletes in XML', async () => {
    const tenant = await createSqsTenant();
    const created = await (await tenant.query({ Action: 'CreateQueue', QueueName: 'xml', 'Attribute.1.Name': 'VisibilityTimeout', 'Attribute.1.Value': '5' })).text();
    expect(created).toContain(`<CreateQueueResult><QueueUrl>${tenant.url('xml')}</QueueUrl></CreateQueueResult>`);
    const QueueUrl = tenant.url('xml');
    const sent = await (await tenant.query({
      Action: 'SendMessage', QueueUrl, MessageBody: 'a <b> & c\r\n',
      'MessageAttribute.1.Name': 'color', 'MessageAttribute.1.Value.DataType': 'String', 'MessageAttribute.1.Value.StringValue': 'blue',
    })).text();
    expect(sent).toMatch(/<SendMessageResult><MessageId>[0-9a-f-]{36}<\/MessageId><MD5OfMessageBody>[0-9a-f]{32}<\/MD5OfMessageBody><MD5OfMessageAttributes>[0-9a-f]{32}<\/MD5OfMessageAttributes><\/SendMessageResult>/);
    const received = await (await tenant.query({ Action: 'ReceiveMessage', QueueUrl, 'AttributeName.1': 'All', 'MessageAttributeName.1': 'All', MaxNumberOfMessages: '5' })).text();
    expect(received).toContain('<Body>a &#60;b&#62; &#38; c&#13;\n</Body>');
    expect(received).toContain('<Attribute><Name>ApproximateReceiveCount</Name><Value>1</Value></Attribute>');
    expect(received).toContain('<MessageAttribute><Name>color</Name><Value><DataType>String</DataType><StringValue>blue</StringValue></Value></MessageAttribute>');
    const handle = /<ReceiptHandle>([^<]+)<\/ReceiptHandle>/.exec(received)![1];
    const deleted = await tenant.query({ Action: 'DeleteMessage', QueueUrl, ReceiptHandle: handle });
    expect(deleted.status).toBe(200);
    expect(await deleted.text()).toContain('<DeleteMessageResponse');
    const empty = await (await tenant.query({ Action: 'ReceiveMessage', QueueUrl })).text();
    expect(empty).toContain('<ReceiveMessageResult></ReceiveMessageResult>');
    const listed = await (await tenant.query({ Action: 'ListQueues' })).text();
    expect(listed).toContain(`<ListQueuesResult><QueueUrl>${QueueUrl}</QueueUrl></ListQueuesResult>`);
  });

  it('takes flattened entries over a plain parameter of the same name, never a 500 (found by the fuzz test)', async () => {
    const tenant = await createSqsTenant();
    await tenant.ok('CreateQueue', { QueueName: 'mixed' });
    const QueueUrl = tenant.url('mixed');
    const set = await tenant.query({ Action: 'SetQueueAttributes', QueueUrl, Attributes: '1', 'Attribute.1.Name': 'VisibilityTimeout', 'Attribute.1.Value': '7' });
    expect(set.status).toBe(200);
    const read = await tenant.query({ Action: 'GetQueueAttributes', QueueUrl, AttributeNames: 'x', 'AttributeName.1': 'VisibilityTimeout' });
    expect(await read.text()).toContain('<Attribute><Name>VisibilityTimeout</Name><Value>7</Value></Attribute>');
    const stray = await tenant.query({ Action: 'SetQueueAttributes', QueueUrl, Attributes: '{"Id":null}', 'Attribute.0.Value.StringValue': '/' });
    expect(stray.status).toBe(400);
    expect(await stray.text()).toContain('<Type>Sender</Type>');
  });

  it('answers errors as an XML ErrorResponse with the query code', async () => {
    const tenant = await createSqsTenant();
    const response = await tenant.query({ Action: 'GetQueueUrl', QueueName: 'missing' });
    expect(response.status).toBe(400);
    const xml = await response.text();
    expect(xml).toContain('<Error><Type>Sender</Type><Code>AWS.SimpleQueueService.NonExistentQueue</Code><Message>The specified queue does not exist.</Message>');
    expect(xml).toMatch(/<RequestId>[0-9a-f-]{36}<\/RequestId>/);
  });
});
