// Python functions end to end: Lambda's Python hello world created and invoked through the AWS CLI
// v2 and boto3, and the paths every function shares (an async event's dead-letter queue, a
// function URL) with a Python function, against `wrangler dev`.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CreateFunctionCommand, CreateFunctionUrlConfigCommand, AddPermissionCommand, InvokeCommand, LambdaClient, PutFunctionEventInvokeConfigCommand } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { useDevServer } from './support/harness';
import { ROLE, zipOf } from './support/bundles';
import { receiveDelivered } from './support/queues';

const server = useDevServer({ shared: true });
let work: string;

/** Lambda's console hello world for Python, as its blueprint has it. */
const HELLO = `import json

def lambda_handler(event, context):
    # TODO implement
    return {
        'statusCode': 200,
        'body': json.dumps('Hello from Lambda!')
    }
`;

beforeAll(() => {
  work = server.workDir;
  writeFileSync(join(work, 'hello.zip'), zipOf({ 'lambda_function.py': HELLO }));
});

const aws = (...args: string[]) => server.aws('--output', 'json', ...args);

describe("Lambda's Python hello world", () => {
  it('is created and invoked through the AWS CLI v2, with its REPORT in the tail', () => {
    const created = JSON.parse(aws('lambda', 'create-function', '--function-name', 'py-hello-cli', '--runtime', 'python3.13', '--role', ROLE,
      '--handler', 'lambda_function.lambda_handler', '--zip-file', `fileb://${join(work, 'hello.zip')}`));
    expect(created).toMatchObject({ FunctionName: 'py-hello-cli', Runtime: 'python3.13', Handler: 'lambda_function.lambda_handler' });
    const out = join(work, 'out.json');
    const invoked = JSON.parse(aws('lambda', 'invoke', '--function-name', 'py-hello-cli', '--log-type', 'Tail', out));
    expect(invoked.StatusCode).toBe(200);
    expect(invoked.FunctionError).toBeUndefined();
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual({ statusCode: 200, body: '"Hello from Lambda!"' });
    expect(Buffer.from(invoked.LogResult, 'base64').toString()).toMatch(/REPORT RequestId: \S+\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: [\d.]+ ms/);
  });

  it('is created and invoked through boto3, and a raised error comes back in Python\'s shape', () => {
    const script = `
import boto3, io, json, sys, zipfile
endpoint, hello, role = sys.argv[1:4]
client = boto3.client('lambda', endpoint_url=endpoint)
client.create_function(FunctionName='py-hello-boto3', Runtime='python3.12', Role=role, Handler='lambda_function.lambda_handler', Code={'ZipFile': open(hello, 'rb').read()})
ok = json.loads(client.invoke(FunctionName='py-hello-boto3', Payload=b'{}')['Payload'].read())
buffer = io.BytesIO()
with zipfile.ZipFile(buffer, 'w') as z:
    z.writestr('app.py', 'def handler(event, context):\\n    raise KeyError(event["missing"])\\n')
client.create_function(FunctionName='py-raises-boto3', Runtime='python3.14', Role=role, Handler='app.handler', Code={'ZipFile': buffer.getvalue()})
failed = client.invoke(FunctionName='py-raises-boto3', Payload=b'{"missing": "k"}')
print(json.dumps({'ok': ok, 'error': json.loads(failed['Payload'].read()), 'functionError': failed.get('FunctionError'), 'requestId': failed['ResponseMetadata']['RequestId']}))
`;
    const result = JSON.parse(server.boto3(script, server.endpoint, join(work, 'hello.zip'), ROLE));
    expect(result.ok).toEqual({ statusCode: 200, body: '"Hello from Lambda!"' });
    expect(result.functionError).toBe('Unhandled');
    expect(result.error).toEqual({
      errorMessage: expect.any(String), errorType: 'KeyError', requestId: result.requestId,
      stackTrace: ['  File "/var/task/app.py", line 2, in handler\n    raise KeyError(event["missing"])\n'],
    });
  });
});

describe('a Python function on the paths every function shares', () => {
  it('sends a failed async event to its dead-letter queue', async () => {
    const lambda = server.client(LambdaClient);
    const sqs = server.client(SQSClient);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'py-dlq' }));
    await lambda.send(new CreateFunctionCommand({
      FunctionName: 'py-async', Runtime: 'python3.13', Role: ROLE, Handler: 'app.handler',
      Code: { ZipFile: zipOf({ 'app.py': "def handler(event, context):\n    raise ValueError('order ' + str(event['order']))\n" }) },
      DeadLetterConfig: { TargetArn: `arn:aws:sqs:${server.region}:${server.accountId}:py-dlq` },
    }));
    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'py-async', MaximumRetryAttempts: 0 }));
    const accepted = await lambda.send(new InvokeCommand({ FunctionName: 'py-async', InvocationType: 'Event', Payload: new TextEncoder().encode('{"order":42}') }));
    expect(accepted.StatusCode).toBe(202);
    const messages = await receiveDelivered(sqs, QueueUrl!, 30);
    expect(messages).toHaveLength(1);
    expect(JSON.parse(messages[0].Body!)).toEqual({ order: 42 });
    expect(messages[0].MessageAttributes?.ErrorMessage?.StringValue).toBe('order 42');
  });

  it('answers its function URL with the response it returns', async () => {
    const lambda = server.client(LambdaClient);
    await lambda.send(new CreateFunctionCommand({
      FunctionName: 'py-web', Runtime: 'python3.12', Role: ROLE, Handler: 'web.handler',
      Code: { ZipFile: zipOf({ 'web.py': "import json\n\ndef handler(event, context):\n    return {'statusCode': 201, 'headers': {'content-type': 'application/json'}, 'body': json.dumps({'path': event['rawPath'], 'q': event['queryStringParameters']})}\n" }) },
    }));
    const { FunctionUrl } = await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'py-web', AuthType: 'NONE' }));
    await lambda.send(new AddPermissionCommand({ FunctionName: 'py-web', StatementId: 'public', Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE' }));
    const urlId = new URL(FunctionUrl!).hostname.split('.')[0];
    const response = await fetch(`${server.endpoint}/lambda-url/${urlId}/items?x=1`);
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ path: '/items', q: { x: '1' } });
  });
});
