// End to end: a function invoked a few times on a real `wrangler dev`, its metrics read back
// through the CloudWatch API by @aws-sdk/client-cloudwatch (AWS JSON 1.0), Debian's AWS CLI v2
// 2.9 and boto3 1.26 (both on the Query protocol), with the exact fields and counts each shows.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CreateFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  CloudWatchClient, GetMetricDataCommand, GetMetricStatisticsCommand, InvalidParameterCombinationException, InvalidParameterValueException, ListMetricsCommand,
} from '@aws-sdk/client-cloudwatch';
import { useDevServer } from './support/harness';
import { AWS_CLI, awsCliEnv } from './support/aws-cli';
import { ROLE, zipOf } from './support/bundles';

const server = useDevServer({ shared: true });
let cloudWatch: CloudWatchClient;
/** A window around the invocations that one 3600 s period covers. */
let startSeconds: number;
let endSeconds: number;

/** The metrics one function invoked synchronously has; the account has these undimensioned, plus UnreservedConcurrentExecutions. */
const FUNCTION_METRICS = ['ColdStarts', 'ConcurrentExecutions', 'Duration', 'Errors', 'InitDuration', 'Invocations'];

beforeAll(async () => {
  const lambda = server.client(LambdaClient);
  cloudWatch = server.client(CloudWatchClient);
  await lambda.send(new CreateFunctionCommand({
    FunctionName: 'watched', Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler',
    Code: { ZipFile: zipOf({ 'index.js': 'exports.handler = async (e) => { if (e.fail) throw new Error("asked to"); return "ok"; };' }) },
  }));
  for (const fail of [false, false, false, true]) {
    await lambda.send(new InvokeCommand({ FunctionName: 'watched', Payload: new TextEncoder().encode(JSON.stringify({ fail })) }));
  }
  const now = Math.floor(Date.now() / 1000);
  startSeconds = now - 1800;
  endSeconds = now + 600;
  // Metrics land after the responses (waitUntil): wait until all four are there.
  for (let i = 0; i < 200; i++) {
    const { Datapoints = [] } = await cloudWatch.send(new GetMetricStatisticsCommand(invocationsQuery()));
    if (Datapoints[0]?.SampleCount === 4) break;
    await new Promise((r) => setTimeout(r, 100));
  }
});

const invocationsQuery = () => ({
  Namespace: 'AWS/Lambda', MetricName: 'Invocations', Dimensions: [{ Name: 'FunctionName', Value: 'watched' }],
  StartTime: new Date(startSeconds * 1000), EndTime: new Date(endSeconds * 1000), Period: 3600, Statistics: ['Sum', 'SampleCount'] as ('Sum' | 'SampleCount')[],
});
const withoutMetadata = <T extends object>(answer: T) => Object.fromEntries(Object.entries(answer).filter(([k]) => k !== '$metadata'));
const minute = (date: Date) => date.getTime() % 60_000 === 0;

describe('@aws-sdk/client-cloudwatch (JSON 1.0)', () => {
  it('GetMetricStatistics: one datapoint with exactly Timestamp, the statistics asked for and Unit', async () => {
    const answer = withoutMetadata(await cloudWatch.send(new GetMetricStatisticsCommand(invocationsQuery())));
    expect(answer).toEqual({ Label: 'Invocations', Datapoints: [{ Timestamp: expect.any(Date), Sum: 4, SampleCount: 4, Unit: 'Count' }] });
    const errors = await cloudWatch.send(new GetMetricStatisticsCommand({ ...invocationsQuery(), MetricName: 'Errors', Statistics: ['Sum', 'Average'] }));
    expect(errors.Datapoints).toEqual([{ Timestamp: expect.any(Date), Sum: 1, Average: 0.25, Unit: 'Count' }]);
    const duration = await cloudWatch.send(new GetMetricStatisticsCommand({ ...invocationsQuery(), MetricName: 'Duration', Statistics: ['Maximum'], ExtendedStatistics: ['p50', 'p99'] }));
    const [point] = duration.Datapoints!;
    expect(Object.keys(point).sort()).toEqual(['ExtendedStatistics', 'Maximum', 'Timestamp', 'Unit']);
    expect(Object.keys(point.ExtendedStatistics!).sort()).toEqual(['p50', 'p99']);
    expect(point.ExtendedStatistics!.p99).toBeLessThanOrEqual(point.Maximum!);
    expect(point.Unit).toBe('Milliseconds');
  });

  it('GetMetricData: the MetricStat query\'s values, newest first, Complete', async () => {
    const answer = withoutMetadata(await cloudWatch.send(new GetMetricDataCommand({
      StartTime: new Date(startSeconds * 1000), EndTime: new Date(endSeconds * 1000),
      MetricDataQueries: [
        { Id: 'calls', MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Invocations', Dimensions: [{ Name: 'FunctionName', Value: 'watched' }] }, Period: 3600, Stat: 'Sum' } },
        { Id: 'failures', Label: 'failures', MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Errors' }, Period: 3600, Stat: 'Sum' } },
      ],
    })));
    expect(answer).toEqual({
      MetricDataResults: [
        { Id: 'calls', Label: 'Invocations', Timestamps: [expect.any(Date)], Values: [4], StatusCode: 'Complete' },
        { Id: 'failures', Label: 'failures', Timestamps: [expect.any(Date)], Values: [1], StatusCode: 'Complete' },
      ],
      Messages: [],
    });
  });

  it('ListMetrics: the function\'s metrics under FunctionName and the account\'s undimensioned ones', async () => {
    const { Metrics } = await cloudWatch.send(new ListMetricsCommand({ Namespace: 'AWS/Lambda', Dimensions: [{ Name: 'FunctionName', Value: 'watched' }] }));
    expect(Metrics).toEqual(FUNCTION_METRICS.map((MetricName) => ({ Namespace: 'AWS/Lambda', MetricName, Dimensions: [{ Name: 'FunctionName', Value: 'watched' }] })));
    const all = await cloudWatch.send(new ListMetricsCommand({}));
    expect(all.Metrics!.filter((m) => m.Dimensions!.length === 0).map((m) => m.MetricName)).toEqual([...FUNCTION_METRICS, 'UnreservedConcurrentExecutions']);
    expect(all.Metrics).toHaveLength(2 * FUNCTION_METRICS.length + 1);
    expect(all.NextToken).toBeUndefined();
  });

  it('answers a 60 s period on whole minutes, the counts adding up', async () => {
    const { Datapoints = [] } = await cloudWatch.send(new GetMetricStatisticsCommand({ ...invocationsQuery(), Period: 60 }));
    expect(Datapoints.length).toBeGreaterThanOrEqual(1);
    expect(Datapoints.every((d) => minute(d.Timestamp!))).toBe(true);
    expect(Datapoints.reduce((n, d) => n + d.Sum!, 0)).toBe(4);
  });

  it('throws CloudWatch\'s exception classes', async () => {
    const tooMany = await cloudWatch.send(new GetMetricStatisticsCommand({ ...invocationsQuery(), StartTime: new Date((startSeconds - 3 * 86400) * 1000), Period: 60 })).catch((e: unknown) => e);
    expect(tooMany).toBeInstanceOf(InvalidParameterCombinationException);
    expect((tooMany as Error).message).toMatch(/^You have requested up to [\d,]+ datapoints, which exceeds the limit of 1,440\./);
    const math = await cloudWatch.send(new GetMetricDataCommand({
      StartTime: new Date(startSeconds * 1000), EndTime: new Date(endSeconds * 1000), MetricDataQueries: [{ Id: 'e1', Expression: 'SUM(METRICS())' }],
    })).catch((e: unknown) => e);
    expect(math).toBeInstanceOf(InvalidParameterValueException);
    expect(math).toMatchObject({ name: 'InvalidParameterValueException', $metadata: { httpStatusCode: 400 } });
    expect((math as Error).message).toContain('is not supported by faasbox');
  });
});

describe('the AWS CLI v2 (Query protocol)', () => {
  const cli = (...args: string[]) => JSON.parse(server.aws('cloudwatch', ...args, '--output', 'json')) as Record<string, any>;
  const window = () => ['--start-time', new Date(startSeconds * 1000).toISOString(), '--end-time', new Date(endSeconds * 1000).toISOString()];

  it('get-metric-statistics, get-metric-data and list-metrics', () => {
    const statistics = cli('get-metric-statistics', '--namespace', 'AWS/Lambda', '--metric-name', 'Invocations',
      '--dimensions', 'Name=FunctionName,Value=watched', ...window(), '--period', '3600', '--statistics', 'Sum', 'SampleCount');
    expect(statistics).toEqual({ Label: 'Invocations', Datapoints: [{ Timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00\+00:00$/), Sum: 4, SampleCount: 4, Unit: 'Count' }] });
    const queries = JSON.stringify([{ Id: 'calls', MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Invocations', Dimensions: [{ Name: 'FunctionName', Value: 'watched' }] }, Period: 3600, Stat: 'SampleCount' } }]);
    expect(cli('get-metric-data', '--metric-data-queries', queries, ...window())).toEqual({
      MetricDataResults: [{ Id: 'calls', Label: 'Invocations', Timestamps: [statistics.Datapoints[0].Timestamp], Values: [4], StatusCode: 'Complete' }],
      Messages: [],
    });
    const listed = cli('list-metrics', '--namespace', 'AWS/Lambda', '--metric-name', 'Errors');
    expect(listed).toEqual({ Metrics: [
      { Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [] },
      { Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: 'watched' }] },
    ] });
  });

  it('runs the README\'s example as pasted (for function hello, here watched)', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
    const block = /The same metrics answer CloudWatch's own API[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)![1];
    expect(block).toContain('--endpoint-url $FAASBOX');
    const result = spawnSync('bash', ['-c', block.replace('Value=hello', 'Value=watched')], {
      cwd: server.workDir, encoding: 'utf8', env: { ...awsCliEnv(server, server.workDir), PATH: `${dirname(AWS_CLI)}:${process.env.PATH}`, FAASBOX: server.endpoint },
    });
    expect(result.status, result.stderr).toBe(0);
    const { Datapoints } = JSON.parse(result.stdout) as { Datapoints: { Sum: number }[] };
    expect(Datapoints.reduce((n, d) => n + d.Sum, 0)).toBe(4);
  });

  it('shows CloudWatch\'s error code', () => {
    let stderr = '';
    try {
      server.aws('cloudwatch', 'get-metric-statistics', '--namespace', 'AWS/Lambda', '--metric-name', 'Invocations', ...window(), '--period', '3600');
    } catch (error) {
      stderr = String((error as { stderr: string }).stderr);
    }
    expect(stderr).toContain('An error occurred (InvalidParameterCombination) when calling the GetMetricStatistics operation: Must specify either Statistics or ExtendedStatistics');
  });
});

describe('boto3 1.26 (Query protocol)', () => {
  it('reads the same metrics, with the same fields', () => {
    const script = `
import boto3, json, sys, datetime
cw = boto3.client('cloudwatch', endpoint_url=sys.argv[1])
start = datetime.datetime.fromtimestamp(int(sys.argv[2]), datetime.timezone.utc)
end = datetime.datetime.fromtimestamp(int(sys.argv[3]), datetime.timezone.utc)
dims = [{'Name': 'FunctionName', 'Value': 'watched'}]
stats = cw.get_metric_statistics(Namespace='AWS/Lambda', MetricName='Duration', Dimensions=dims, StartTime=start, EndTime=end, Period=3600,
                                 Statistics=['SampleCount', 'Minimum'], ExtendedStatistics=['p99'])
data = cw.get_metric_data(StartTime=start, EndTime=end, ScanBy='TimestampAscending', MetricDataQueries=[
    {'Id': 'calls', 'MetricStat': {'Metric': {'Namespace': 'AWS/Lambda', 'MetricName': 'Invocations', 'Dimensions': dims}, 'Period': 3600, 'Stat': 'Sum'}},
    {'Id': 'hidden', 'ReturnData': False, 'MetricStat': {'Metric': {'Namespace': 'AWS/Lambda', 'MetricName': 'Errors', 'Dimensions': dims}, 'Period': 3600, 'Stat': 'Sum'}}])
pages = list(cw.get_paginator('list_metrics').paginate(Namespace='AWS/Lambda', Dimensions=[{'Name': 'FunctionName'}]))
try:
    cw.get_metric_statistics(Namespace='AWS/Lambda', MetricName='Invocations', StartTime=start, EndTime=end, Period=61, Statistics=['Sum'])
    refused = None
except cw.exceptions.InvalidParameterValueException as e:
    refused = e.response['Error']
for answer in (stats, data):
    answer.pop('ResponseMetadata')
print(json.dumps({'stats': stats, 'data': data, 'metrics': [m for p in pages for m in p['Metrics']], 'refused': refused}, default=str))
`;
    const result = JSON.parse(server.boto3(script, server.endpoint, String(startSeconds), String(endSeconds)));
    expect(result.stats.Label).toBe('Duration');
    expect(result.stats.Datapoints).toHaveLength(1);
    const [point] = result.stats.Datapoints;
    expect(Object.keys(point).sort()).toEqual(['ExtendedStatistics', 'Minimum', 'SampleCount', 'Timestamp', 'Unit']);
    expect(point).toMatchObject({ SampleCount: 4, Unit: 'Milliseconds' });
    expect(Object.keys(point.ExtendedStatistics)).toEqual(['p99']);
    expect(point.ExtendedStatistics.p99).toBeGreaterThanOrEqual(point.Minimum);
    expect(result.data).toEqual({
      MetricDataResults: [{ Id: 'calls', Label: 'Invocations', Timestamps: [point.Timestamp], Values: [4], StatusCode: 'Complete' }],
      Messages: [],
    });
    expect(result.metrics.map((m: { MetricName: string }) => m.MetricName)).toEqual(FUNCTION_METRICS);
    expect(result.refused).toEqual({ Type: 'Sender', Code: 'InvalidParameterValue', Message: 'The parameter Period must be 1, 5, 10, 30 or a multiple of 60.' });
  });
});

