// End to end: a function's logs on a real `wrangler dev`, read back with Debian's AWS CLI v2
// (`aws logs tail`, `aws logs filter-log-events`) and @aws-sdk/client-cloudwatch-logs, after
// invoking the function with @aws-sdk/client-lambda.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { CreateFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  CloudWatchLogsClient, DescribeLogGroupsCommand, DescribeLogStreamsCommand, FilterLogEventsCommand, GetLogEventsCommand,
  PutRetentionPolicyCommand, ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import { useDevServer } from './support/harness';
import { AWS_CLI, awsCliEnv } from './support/aws-cli';
import { ROLE, zipOf } from './support/bundles';

const GROUP = '/aws/lambda/greeter';

const server = useDevServer({ shared: true });
let lambda: LambdaClient;
let cwl: CloudWatchLogsClient;

beforeAll(async () => {
  lambda = server.client(LambdaClient);
  cwl = server.client(CloudWatchLogsClient);
  await lambda.send(new CreateFunctionCommand({
    FunctionName: 'greeter', Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler',
    Code: { ZipFile: zipOf({ 'index.js': 'exports.handler = async (e) => { console.log("Hello from", e.name); return "ok"; };' }) },
  }));
  for (const name of ['Ada', 'Grace']) {
    await lambda.send(new InvokeCommand({ FunctionName: 'greeter', Payload: new TextEncoder().encode(JSON.stringify({ name })) }));
  }
  // The log lines land after the response: wait for both REPORT lines.
  for (let i = 0; i < 100; i++) {
    const page = await cwl.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: 'REPORT' })).catch(() => undefined);
    if ((page?.events?.length ?? 0) >= 2) break;
    await new Promise((r) => setTimeout(r, 100));
  }
});

describe('AWS CLI v2', () => {
  it('tails the function\'s log group', () => {
    const output = server.aws('logs', 'tail', GROUP, '--since', '1h');
    const lines = output.trim().split('\n');
    expect(lines.filter((l) => / START RequestId: /.test(l))).toHaveLength(2);
    expect(output).toMatch(/\tINFO\tHello from Ada\n/);
    expect(output).toMatch(/\tINFO\tHello from Grace\n/);
    expect(lines.filter((l) => / REPORT RequestId: /.test(l))).toHaveLength(2);
    // Each line: ISO time, the stream name, the message.
    expect(lines[0]).toMatch(/^\d{4}-\d{2}-\d{2}T[\d:.]+\+00:00 \d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32} START RequestId: /);
  });

  it('filters log events with a quoted phrase', () => {
    const result = JSON.parse(server.aws('--output', 'json', 'logs', 'filter-log-events', '--log-group-name', GROUP, '--filter-pattern', '"from Grace"')) as { events: { message: string; eventId: string }[] };
    expect(result.events.map((e) => e.message.split('\t').pop())).toEqual(['Hello from Grace']);
  });

  it('answers a missing group with ResourceNotFoundException', () => {
    expect(() => server.aws('logs', 'tail', '/aws/lambda/nope', '--since', '1h')).toThrow(/ResourceNotFoundException/);
  });
});

describe('@aws-sdk/client-cloudwatch-logs', () => {
  it('describes groups and streams and reads a stream from the head', async () => {
    const { logGroups } = await cwl.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/lambda/' }));
    expect(logGroups).toMatchObject([{ logGroupName: GROUP, arn: `arn:aws:logs:${server.region}:${server.accountId}:log-group:${GROUP}:*` }]);
    await cwl.send(new PutRetentionPolicyCommand({ logGroupName: GROUP, retentionInDays: 30 }));
    expect((await cwl.send(new DescribeLogGroupsCommand({}))).logGroups?.[0].retentionInDays).toBe(30);

    const { logStreams } = await cwl.send(new DescribeLogStreamsCommand({ logGroupName: GROUP, orderBy: 'LastEventTime', descending: true, limit: 1 }));
    expect(logStreams).toHaveLength(1);
    const { events, nextForwardToken } = await cwl.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: logStreams![0].logStreamName, startFromHead: true }));
    expect(events?.map((e) => e.message?.split(/[ \t]/)[0])).toEqual(['START', expect.any(String), 'END', 'REPORT', 'START', expect.any(String), 'END', 'REPORT']);
    expect(nextForwardToken).toMatch(/^f\/\d+$/);

    const missing = await cwl.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/nope' })).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect((missing as Error).message).toBe('The specified log group does not exist.');
  });
});

// Runs after the read-back tests above: these invoke the function again.
describe('following new lines', () => {
  const invoke = (name: string) => lambda.send(new InvokeCommand({ FunctionName: 'greeter', Payload: new TextEncoder().encode(JSON.stringify({ name })) }));

  it('aws logs tail --follow prints lines written after it started', async () => {
    const child = spawn(AWS_CLI, ['--endpoint-url', server.endpoint, 'logs', 'tail', GROUP, '--follow', '--since', '1m'], { env: awsCliEnv(server, server.workDir) });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      // The CLI polls FilterLogEvents every few seconds; wait until it has started polling.
      for (let i = 0; i < 200 && !output.includes('Hello from Grace'); i++) await new Promise((r) => setTimeout(r, 100));
      await invoke('Linus');
      for (let i = 0; i < 300 && !/REPORT RequestId: [^\n]*\n[\s\S]*$/.test(output.slice(output.indexOf('Hello from Linus'))); i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(output, `aws logs tail --follow printed:\n${output}`).toMatch(/\tINFO\tHello from Linus\n/);
      expect(output.slice(output.indexOf('Hello from Linus'))).toMatch(/ END RequestId: [\s\S]* REPORT RequestId: /);
    } finally {
      child.kill();
    }
  });

  it('streams server-sent events from /api/logs/tail', async () => {
    const response = await server.signedFetch(`/api/logs/tail?logGroupName=${encodeURIComponent(GROUP)}&filterPattern=${encodeURIComponent('"Hello from"')}`);
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    try {
      const sentAt = Date.now();
      await invoke('Ken');
      while (!text.includes('Hello from Ken')) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
      console.log(`live tail: line seen ${Date.now() - sentAt} ms after the Invoke call was sent`);
      const data = text.split('\n').filter((l) => l.startsWith('data: ')).map((l) => JSON.parse(l.slice(6)) as { message: string });
      expect(data.map((d) => d.message.split('\t').pop())).toEqual(['Hello from Ken']);
    } finally {
      await reader.cancel();
    }
  });

  it('delivers a line on /api/logs/tail while the function still runs, before the Invoke response', async () => {
    await lambda.send(new CreateFunctionCommand({
      FunctionName: 'pauser', Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Timeout: 10,
      Code: { ZipFile: zipOf({ 'index.js': 'exports.handler = async () => { console.log("first"); await new Promise((r) => setTimeout(r, 1500)); console.log("second"); return "ok"; };' }) },
    }));
    const response = await server.signedFetch('/api/logs/tail?logGroupName=/aws/lambda/pauser');
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    // Each event's first word (START, END, REPORT) or console text, and 'response' where the Invoke call answered.
    const order: string[] = [];
    let text = '';
    try {
      const sentAt = Date.now();
      let firstSeenMs = 0;
      const answered = lambda.send(new InvokeCommand({ FunctionName: 'pauser' })).then(() => order.push(`response after ${Date.now() - sentAt} ms`));
      while (!order.includes('REPORT')) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
        for (let end = text.indexOf('\n\n'); end >= 0; end = text.indexOf('\n\n')) {
          const data = text.slice(0, end).split('\n').find((l) => l.startsWith('data: '));
          text = text.slice(end + 2);
          if (!data) continue;
          const { message } = JSON.parse(data.slice(6)) as { message: string };
          const label = /^(START|END|REPORT) /.exec(message)?.[1] ?? message.split('\t').pop()!;
          if (label === 'first') firstSeenMs = Date.now() - sentAt;
          order.push(label);
        }
      }
      await answered;
      console.log(`live tail: a running function's first line seen ${firstSeenMs} ms after the Invoke call was sent; ${order.find((o) => o.startsWith('response'))}`);
      const responseAt = order.findIndex((o) => o.startsWith('response'));
      expect(order.filter((o) => !o.startsWith('response'))).toEqual(['START', 'first', 'second', 'END', 'REPORT']);
      expect(order.indexOf('START')).toBeLessThan(responseAt);
      expect(order.indexOf('first')).toBeLessThan(responseAt);
    } finally {
      await reader.cancel();
    }
  });
});
