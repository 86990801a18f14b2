// End to end: a function scheduled every minute with Debian's AWS CLI v2 (`aws events put-rule`,
// `put-targets`) on a real `wrangler dev --test-scheduled`, invoked once the scheduled handler
// runs (GET /cdn-cgi/handler/scheduled, as the README shows), with the Scheduled Event.
import { get } from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { useDevServer } from './support/harness';
import { ROLE, zipOf } from './support/bundles';

const server = useDevServer();
let lambda: LambdaClient;
let cwl: CloudWatchLogsClient;
let functionArn: string;

beforeAll(async () => {
  lambda = server.client(LambdaClient);
  cwl = server.client(CloudWatchLogsClient);
  const created = await lambda.send(new CreateFunctionCommand({
    FunctionName: 'ticker', Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler',
    Code: { ZipFile: zipOf({ 'index.js': 'exports.handler = async (event) => { console.log("TICK " + JSON.stringify(event)); };' }) },
  }));
  functionArn = created.FunctionArn!;
});

const aws = (...args: string[]) => server.aws('--output', 'json', ...args);

/**
 * The status of a GET on a connection of its own: fetch's pooled keep-alive socket from the
 * server's start-up check may be closed by the server just as it is reused ("other side closed").
 */
function getOnFreshConnection(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode!));
    }).on('error', reject);
  });
}

/** The events the function logged, once there is at least one. */
async function ticks(): Promise<Record<string, unknown>[]> {
  for (let i = 0; i < 300; i++) {
    const page = await cwl.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/ticker', filterPattern: 'TICK' })).catch(() => undefined);
    const messages = page?.events?.map((e) => e.message ?? '') ?? [];
    if (messages.length > 0) return messages.map((m) => JSON.parse(m.slice(m.indexOf('TICK ') + 5)) as Record<string, unknown>);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the function was never invoked:\n${server.output().slice(-3000)}`);
}

describe('aws events', () => {
  it('schedules a function every minute; the scheduled handler invokes it with the Scheduled Event', async () => {
    const { RuleArn } = JSON.parse(aws('events', 'put-rule', '--name', 'every-minute', '--schedule-expression', 'rate(1 minute)')) as { RuleArn: string };
    expect(RuleArn).toBe(`arn:aws:events:${server.region}:${server.accountId}:rule/every-minute`);
    expect(JSON.parse(aws('events', 'put-targets', '--rule', 'every-minute', '--targets', `Id=1,Arn=${functionArn}`))).toEqual({ FailedEntryCount: 0, FailedEntries: [] });
    expect(JSON.parse(aws('events', 'describe-rule', '--name', 'every-minute'))).toMatchObject({ Name: 'every-minute', State: 'ENABLED', ScheduleExpression: 'rate(1 minute)', Arn: RuleArn });
    expect(JSON.parse(aws('events', 'list-targets-by-rule', '--rule', 'every-minute'))).toEqual({ Targets: [{ Id: '1', Arn: functionArn }] });
    expect((JSON.parse(aws('events', 'list-rules')) as { Rules: { Name: string }[] }).Rules.map((r) => r.Name)).toEqual(['every-minute']);

    // The cron trigger, a minute from now (`time` is the scheduled time in epoch ms).
    expect(await getOnFreshConnection(`${server.endpoint}/cdn-cgi/handler/scheduled?cron=*+*+*+*+*&time=${Date.now() + 61_000}`)).toBe(200);
    const [event] = await ticks();
    expect(event).toMatchObject({
      version: '0', 'detail-type': 'Scheduled Event', source: 'aws.events', account: server.accountId, region: server.region,
      resources: [RuleArn], detail: {},
    });
    expect(event.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00Z$/);
  });

  it('answers bad input with the AWS errors the CLI prints', () => {
    expect(() => aws('events', 'put-rule', '--name', 'bad', '--schedule-expression', 'cron(0 12 * * * *)'))
      .toThrow(/ValidationException.*Parameter ScheduleExpression is not valid\./);
    expect(() => aws('events', 'describe-rule', '--name', 'nope')).toThrow(/ResourceNotFoundException.*Rule nope does not exist on EventBus default\./);
    expect(() => aws('events', 'delete-rule', '--name', 'every-minute')).toThrow(/ValidationException.*Rule can't be deleted since it has targets\./);
  });

  it('disables, removes targets and deletes', () => {
    aws('events', 'disable-rule', '--name', 'every-minute');
    expect(JSON.parse(aws('events', 'describe-rule', '--name', 'every-minute'))).toMatchObject({ State: 'DISABLED' });
    expect(JSON.parse(aws('events', 'remove-targets', '--rule', 'every-minute', '--ids', '1'))).toEqual({ FailedEntryCount: 0, FailedEntries: [] });
    aws('events', 'delete-rule', '--name', 'every-minute');
    expect(JSON.parse(aws('events', 'list-rules'))).toEqual({ Rules: [] });
  });
});
