// The CloudWatch metrics API over a tenant's recorded series, on both protocols: the JSON 1.0
// protocol of the current SDKs and the Query protocol of the AWS CLI 2.9 and boto3 1.26. Samples
// are written into the tenant's real MetricsStore at known minutes, so every value is exact.
import { beforeAll, describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { createTenant, type Tenant } from '../support/signed-client';
import { awsJsonClient } from '../support/aws-json-client';
import type { MetricSample } from '../../../src/records/metrics';

const cloudWatch = awsJsonClient({ targetPrefix: 'GraniteServiceVersion20100801', contentType: 'application/x-amz-json-1.0', service: 'monitoring' });
const XMLNS = 'http://monitoring.amazonaws.com/doc/2010-08-01/';

/**
 * Asserts CloudWatch's JSON error shape (400, `code` as x-amzn-ErrorType, `__type`
 * com.amazonaws.cloudwatch#<code>, `x-amzn-query-error` with the Query code); returns the message.
 */
async function cloudWatchError(response: Response, code: string, queryCode: string): Promise<string> {
  const body = (await response.json()) as { __type: string; message: string };
  expect({ status: response.status, type: response.headers.get('x-amzn-errortype'), query: response.headers.get('x-amzn-query-error'), contentType: response.headers.get('content-type'), __type: body.__type })
    .toEqual({ status: 400, type: code, query: `${queryCode};Sender`, contentType: 'application/x-amz-json-1.0', __type: `com.amazonaws.cloudwatch#${code}` });
  expect(Object.keys(body).sort()).toEqual(['__type', 'message']);
  return body.message;
}
const MINUTE = 60_000;

let tenant: Tenant;
let other: Tenant;
/** Two whole minutes 40 and 39 minutes ago (epoch ms), and a window of the last hour around them. */
let first: number;
let second: number;
let startSeconds: number;
let endSeconds: number;

const sample = (functionName: string, metric: MetricSample['metric'], value: number): MetricSample => ({ functionName, metric, value });

beforeAll(async () => {
  tenant = await createTenant('cloudwatch', 'monitoring');
  other = await createTenant('cloudwatch-other', 'monitoring');
  first = Math.floor((Date.now() - 40 * MINUTE) / MINUTE) * MINUTE;
  second = first + MINUTE;
  startSeconds = Math.floor((first - 10 * MINUTE) / 1000);
  endSeconds = Math.floor((second + 20 * MINUTE) / 1000);
  const store = env.METRICS.get(env.METRICS.idFromName(tenant.accountId));
  // Function a: 3 invocations in the first minute (durations 10, 20, 30 ms), 2 in the second (one error).
  for (const duration of [10, 20, 30]) {
    await store.record([sample('a', 'Invocations', 1), sample('a', 'Errors', 0), sample('a', 'Duration', duration), sample('a', 'ConcurrentExecutions', 1), sample('', 'ConcurrentExecutions', 2)], first + 5_000);
  }
  for (const [duration, error] of [[40, 0], [50, 1]]) {
    await store.record([sample('a', 'Invocations', 1), sample('a', 'Errors', error), sample('a', 'Duration', duration)], second + 5_000);
  }
  // Function b: one invocation in the second minute.
  await store.record([sample('b', 'Invocations', 1), sample('b', 'Errors', 0), sample('b', 'Duration', 5)], second + 30_000);
  await env.METRICS.get(env.METRICS.idFromName(other.accountId)).record([sample('theirs', 'Invocations', 1)], first);
}, 60_000);

const fn = (name: string) => [{ Name: 'FunctionName', Value: name }];
const statistics = (input: Record<string, unknown>) =>
  cloudWatch.call<{ Label: string; Datapoints: Record<string, unknown>[] }>(tenant, 'GetMetricStatistics', {
    Namespace: 'AWS/Lambda', StartTime: startSeconds, EndTime: endSeconds, Period: 60, ...input,
  });

describe('GetMetricStatistics (JSON protocol)', () => {
  it('answers one datapoint per minute with data, with exactly the statistics asked for and the Unit', async () => {
    const answer = await statistics({ MetricName: 'Invocations', Dimensions: fn('a'), Statistics: ['SampleCount', 'Sum'] });
    expect(answer.Label).toBe('Invocations');
    const sorted = [...answer.Datapoints].sort((x, y) => (x.Timestamp as number) - (y.Timestamp as number));
    expect(sorted).toEqual([
      { Timestamp: first / 1000, SampleCount: 3, Sum: 3, Unit: 'Count' },
      { Timestamp: second / 1000, SampleCount: 2, Sum: 2, Unit: 'Count' },
    ]);
  });

  it('aggregates over the Period from the rounded StartTime, and over functions without dimensions', async () => {
    const { Datapoints } = await statistics({ MetricName: 'Duration', Dimensions: fn('a'), Period: 3600, Statistics: ['Average', 'Minimum', 'Maximum'], ExtendedStatistics: ['p50', 'p99'] });
    expect(Datapoints).toHaveLength(1);
    const [point] = Datapoints as { Timestamp: number; Average: number; Minimum: number; Maximum: number; Unit: string; ExtendedStatistics: Record<string, number> }[];
    expect(Object.keys(point).sort()).toEqual(['Average', 'ExtendedStatistics', 'Maximum', 'Minimum', 'Timestamp', 'Unit']);
    expect(point).toMatchObject({ Timestamp: startSeconds - (startSeconds % 60), Average: 30, Minimum: 10, Maximum: 50, Unit: 'Milliseconds' });
    expect(Object.keys(point.ExtendedStatistics).sort()).toEqual(['p50', 'p99']);
    // The histogram's 1 % relative error (docs/METRICS.md), clamped to the exact maximum.
    expect(Math.abs(point.ExtendedStatistics.p50 - 30)).toBeLessThanOrEqual(0.3);
    expect(Math.abs(point.ExtendedStatistics.p99 - 50)).toBeLessThanOrEqual(0.5);
    const account = await statistics({ MetricName: 'Invocations', Period: 3600, Statistics: ['Sum'] });
    expect(account.Datapoints).toEqual([{ Timestamp: expect.any(Number), Sum: 6, Unit: 'Count' }]);
    const concurrency = await statistics({ MetricName: 'ConcurrentExecutions', Period: 3600, Statistics: ['Maximum'] });
    expect(concurrency.Datapoints).toEqual([{ Timestamp: expect.any(Number), Maximum: 2, Unit: 'Count' }]);
  });

  it('answers no datapoints for what faasbox does not record, never made-up data', async () => {
    for (const input of [
      { MetricName: 'Invocations', Dimensions: [...fn('a'), { Name: 'Resource', Value: 'a:live' }] },
      { MetricName: 'Invocations', Dimensions: [{ Name: 'Resource', Value: 'a' }] },
      { MetricName: 'Invocations', Dimensions: [...fn('a'), { Name: 'ExecutedVersion', Value: '1' }] },
      { MetricName: 'Invocations', Dimensions: fn('nope') },
      { MetricName: 'Invocations', Dimensions: fn('a'), Unit: 'Seconds' },
      { MetricName: 'Invocations', Namespace: 'AWS/EC2' },
      { MetricName: 'CPUUtilization' },
      { MetricName: 'UnreservedConcurrentExecutions', Dimensions: fn('a') },
      // Past 15 days faasbox keeps hours only: a finer period has nothing to answer.
      { MetricName: 'Invocations', StartTime: Math.floor(Date.now() / 1000) - 20 * 86400, EndTime: Math.floor(Date.now() / 1000) - 19 * 86400, Period: 300 },
    ]) {
      expect(await statistics({ Statistics: ['Sum'], ...input }), JSON.stringify(input)).toEqual({ Label: input.MetricName, Datapoints: [] });
    }
    // A percentile of a metric without histogram: the datapoint, without a made-up percentile.
    const { Datapoints } = await statistics({ MetricName: 'Invocations', Dimensions: fn('b'), ExtendedStatistics: ['p99'] });
    expect(Datapoints).toEqual([{ Timestamp: second / 1000, Unit: 'Count' }]);
  });

  it('refuses bad requests with CloudWatch\'s codes, query codes and messages', async () => {
    const cases: [Record<string, unknown>, string, string, string][] = [
      [{ Period: undefined }, 'MissingRequiredParameterException', 'MissingParameter', 'The parameter Period is required.'],
      [{ Period: 61 }, 'InvalidParameterValueException', 'InvalidParameterValue', 'The parameter Period must be 1, 5, 10, 30 or a multiple of 60.'],
      [{ Period: 0 }, 'InvalidParameterValueException', 'InvalidParameterValue', 'The parameter Period must be greater than 0.'],
      [{ StartTime: endSeconds, EndTime: startSeconds }, 'InvalidParameterValueException', 'InvalidParameterValue', 'The parameter StartTime must be less than the parameter EndTime.'],
      [{ StartTime: startSeconds, EndTime: startSeconds }, 'InvalidParameterValueException', 'InvalidParameterValue', 'The parameter StartTime must not equal parameter EndTime.'],
      [{ StartTime: startSeconds - 2 * 86400 }, 'InvalidParameterCombinationException', 'InvalidParameterCombination',
        `You have requested up to ${Math.ceil((endSeconds - (startSeconds - 2 * 86400 - ((startSeconds - 2 * 86400) % 60))) / 60).toLocaleString('en-US')} datapoints, which exceeds the limit of 1,440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`],
      [{ Statistics: undefined }, 'InvalidParameterCombinationException', 'InvalidParameterCombination', 'Must specify either Statistics or ExtendedStatistics'],
      [{ Statistics: ['Median'] }, 'InvalidParameterValueException', 'InvalidParameterValue', 'The parameter Statistics.member.1 must be a value in the set [ SampleCount, Average, Sum, Minimum, Maximum ].'],
      [{ Statistics: undefined, ExtendedStatistics: ['p101'] }, 'InvalidParameterValueException', 'InvalidParameterValue', 'The value p101 for parameter ExtendedStatistics.member.1 is invalid.'],
      [{ StartTime: 'yesterday' }, 'InvalidParameterValueException', 'InvalidParameterValue', 'The value yesterday for parameter StartTime is invalid. It must be an ISO 8601 timestamp.'],
    ];
    for (const [input, code, queryCode, message] of cases) {
      const response = await cloudWatch.response(tenant, 'GetMetricStatistics', {
        Namespace: 'AWS/Lambda', MetricName: 'Invocations', StartTime: startSeconds, EndTime: endSeconds, Period: 60, Statistics: ['Sum'], ...input,
      });
      expect(await cloudWatchError(response, code, queryCode), JSON.stringify(input)).toBe(message);
    }
    const body = await (await cloudWatch.response(tenant, 'GetMetricStatistics', {})).json();
    expect(body).toEqual({ __type: 'com.amazonaws.cloudwatch#MissingRequiredParameterException', message: 'The parameter Namespace is required.' });
  });
});

type MetricDataAnswer = { MetricDataResults: { Id: string; Label: string; Timestamps: number[]; Values: number[]; StatusCode: string }[]; NextToken?: string; Messages: unknown[] };
const metricStat = (id: string, name: string, dims: { Name: string; Value: string }[], stat: string, extra: Record<string, unknown> = {}) =>
  ({ Id: id, MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: name, Dimensions: dims }, Period: 60, Stat: stat }, ...extra });
const metricData = (input: Record<string, unknown>) =>
  cloudWatch.call<MetricDataAnswer>(tenant, 'GetMetricData', { StartTime: startSeconds, EndTime: endSeconds, ...input });

describe('GetMetricData (JSON protocol)', () => {
  it('answers each MetricStat query with Label, Timestamps newest first and StatusCode Complete', async () => {
    const answer = await metricData({ MetricDataQueries: [
      metricStat('invocations', 'Invocations', fn('a'), 'Sum'),
      metricStat('errors', 'Errors', fn('a'), 'Average', { Label: 'error rate' }),
      metricStat('slow', 'Duration', fn('a'), 'p99'),
      metricStat('hidden', 'Invocations', fn('b'), 'Sum', { ReturnData: false }),
      metricStat('resource', 'Invocations', [...fn('a'), { Name: 'Resource', Value: 'a:live' }], 'Sum'),
    ] });
    expect(answer).toEqual({
      MetricDataResults: [
        { Id: 'invocations', Label: 'Invocations', Timestamps: [second / 1000, first / 1000], Values: [2, 3], StatusCode: 'Complete' },
        { Id: 'errors', Label: 'error rate', Timestamps: [second / 1000, first / 1000], Values: [0.5, 0], StatusCode: 'Complete' },
        { Id: 'slow', Label: 'Duration', Timestamps: [second / 1000, first / 1000], Values: [expect.closeTo(50, 0), expect.closeTo(30, 0)], StatusCode: 'Complete' },
        { Id: 'resource', Label: 'Invocations', Timestamps: [], Values: [], StatusCode: 'Complete' },
      ],
      Messages: [],
    });
    const ascending = await metricData({ ScanBy: 'TimestampAscending', MetricDataQueries: [metricStat('m', 'Invocations', fn('a'), 'Sum')] });
    expect(ascending.MetricDataResults[0]).toMatchObject({ Timestamps: [first / 1000, second / 1000], Values: [3, 2] });
  });

  it('pages by MaxDatapoints across queries, PartialData while a query continues', async () => {
    const queries = [metricStat('a1', 'Invocations', fn('a'), 'Sum'), metricStat('b1', 'Invocations', fn('b'), 'Sum'), metricStat('none', 'Invocations', fn('nope'), 'Sum')];
    const page1 = await metricData({ MetricDataQueries: queries, MaxDatapoints: 1 });
    expect(page1.MetricDataResults).toEqual([{ Id: 'a1', Label: 'Invocations', Timestamps: [second / 1000], Values: [2], StatusCode: 'PartialData' }]);
    const page2 = await metricData({ MetricDataQueries: queries, MaxDatapoints: 1, NextToken: page1.NextToken });
    expect(page2.MetricDataResults).toEqual([{ Id: 'a1', Label: 'Invocations', Timestamps: [first / 1000], Values: [3], StatusCode: 'Complete' }]);
    const page3 = await metricData({ MetricDataQueries: queries, MaxDatapoints: 1, NextToken: page2.NextToken });
    expect(page3).toEqual({
      MetricDataResults: [
        { Id: 'b1', Label: 'Invocations', Timestamps: [second / 1000], Values: [1], StatusCode: 'Complete' },
        { Id: 'none', Label: 'Invocations', Timestamps: [], Values: [], StatusCode: 'Complete' },
      ],
      Messages: [],
    });
    const bad = await cloudWatch.response(tenant, 'GetMetricData', { MetricDataQueries: queries, StartTime: startSeconds, EndTime: endSeconds, NextToken: 'garbage' });
    expect(await cloudWatchError(bad, 'InvalidNextToken', 'InvalidNextToken')).toBe('The NextToken is not valid.');
  });

  it('answers another account\'s metric as Forbidden, without data', async () => {
    const answer = await metricData({ MetricDataQueries: [metricStat('theirs', 'Invocations', fn('theirs'), 'Sum', { AccountId: other.accountId })] });
    expect(answer.MetricDataResults).toEqual([{ Id: 'theirs', Label: 'Invocations', Timestamps: [], Values: [], StatusCode: 'Forbidden' }]);
  });

  it('refuses metric math, unknown statistics and malformed queries', async () => {
    const cases: [unknown[], string, string, string][] = [
      [[{ Id: 'e1', Expression: 'SUM(METRICS())' }], 'InvalidParameterValueException', 'InvalidParameterValue',
        'The parameter MetricDataQueries.member.1.Expression is not supported by faasbox: metric math and Metrics Insights queries are not evaluated here. Query each metric with MetricStat instead.'],
      [[metricStat('m', 'Invocations', fn('a'), 'Median')], 'ValidationException', 'ValidationError', 'The value Median for parameter MetricDataQueries.member.1.MetricStat.Stat is not a valid statistic.'],
      [[metricStat('m', 'Invocations', fn('a'), 'tm99')], 'InvalidParameterValueException', 'InvalidParameterValue',
        'The value tm99 for parameter MetricDataQueries.member.1.MetricStat.Stat is not supported by faasbox: it computes SampleCount, Average, Sum, Minimum, Maximum and percentiles (p50, p99...) only.'],
      [[metricStat('M1', 'Invocations', fn('a'), 'Sum')], 'ValidationException', 'ValidationError',
        'The value M1 for parameter MetricDataQueries.member.1.Id is invalid. It must start with a lowercase letter and contain only letters, numbers and underscores.'],
      [[metricStat('m', 'Invocations', fn('a'), 'Sum'), metricStat('m', 'Errors', fn('a'), 'Sum')], 'ValidationException', 'ValidationError', 'The value m for parameter MetricDataQueries.member.2.Id is not unique.'],
      [[metricStat('m', 'Invocations', fn('a'), 'Sum', { MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Invocations' }, Period: 90, Stat: 'Sum' } })],
        'ValidationException', 'ValidationError', 'The parameter MetricDataQueries.member.1.MetricStat.Period must be 1, 5, 10, 30 or a multiple of 60.'],
    ];
    for (const [queries, code, queryCode, message] of cases) {
      const response = await cloudWatch.response(tenant, 'GetMetricData', { MetricDataQueries: queries, StartTime: startSeconds, EndTime: endSeconds });
      expect(await cloudWatchError(response, code, queryCode)).toBe(message);
    }
    const same = await cloudWatch.response(tenant, 'GetMetricData', { MetricDataQueries: [metricStat('m', 'Invocations', fn('a'), 'Sum')], StartTime: startSeconds, EndTime: startSeconds });
    expect(await cloudWatchError(same, 'ValidationException', 'ValidationError')).toBe('The parameter StartTime must not equal parameter EndTime.');
  });
});

describe('ListMetrics (JSON protocol)', () => {
  const dims = (name: string) => [{ Name: 'FunctionName', Value: name }];
  const lambda = (MetricName: string, Dimensions: { Name: string; Value: string }[] = []) => ({ Namespace: 'AWS/Lambda', MetricName, Dimensions });

  it('lists each function\'s metrics and the account\'s aggregates, filtered as asked', async () => {
    expect(await cloudWatch.call(tenant, 'ListMetrics', {})).toEqual({
      Metrics: [
        lambda('ConcurrentExecutions'), lambda('ConcurrentExecutions', dims('a')),
        lambda('Duration'), lambda('Duration', dims('a')), lambda('Duration', dims('b')),
        lambda('Errors'), lambda('Errors', dims('a')), lambda('Errors', dims('b')),
        lambda('Invocations'), lambda('Invocations', dims('a')), lambda('Invocations', dims('b')),
      ],
    });
    expect(await cloudWatch.call(tenant, 'ListMetrics', { Namespace: 'AWS/Lambda', MetricName: 'Invocations', Dimensions: [{ Name: 'FunctionName' }] }))
      .toEqual({ Metrics: [lambda('Invocations', dims('a')), lambda('Invocations', dims('b'))] });
    expect(await cloudWatch.call(tenant, 'ListMetrics', { Dimensions: [{ Name: 'FunctionName', Value: 'b' }] }))
      .toEqual({ Metrics: [lambda('Duration', dims('b')), lambda('Errors', dims('b')), lambda('Invocations', dims('b'))] });
    expect(await cloudWatch.call(tenant, 'ListMetrics', { Namespace: 'AWS/EC2' })).toEqual({ Metrics: [] });
    expect(await cloudWatch.call(tenant, 'ListMetrics', { Dimensions: [{ Name: 'Resource' }] })).toEqual({ Metrics: [] });
    // Data 40 minutes old is recently active (PT3H).
    expect((await cloudWatch.call<{ Metrics: unknown[] }>(tenant, 'ListMetrics', { RecentlyActive: 'PT3H' })).Metrics).toHaveLength(11);
    expect(await cloudWatch.call(tenant, 'ListMetrics', { MetricName: 'Invocations', Dimensions: dims('a'), IncludeLinkedAccounts: true }))
      .toEqual({ Metrics: [lambda('Invocations', dims('a'))], OwningAccounts: [tenant.accountId] });
  });

  it('shows a tenant only its own account\'s metrics', async () => {
    expect(await cloudWatch.call(other, 'ListMetrics', {})).toEqual({ Metrics: [lambda('Invocations'), lambda('Invocations', dims('theirs'))] });
    expect(await cloudWatch.call(other, 'GetMetricStatistics', {
      Namespace: 'AWS/Lambda', MetricName: 'Invocations', Dimensions: dims('a'), StartTime: startSeconds, EndTime: endSeconds, Period: 3600, Statistics: ['Sum'],
    })).toEqual({ Label: 'Invocations', Datapoints: [] });
  });
});

describe('the CloudWatch API\'s door', () => {
  it('refuses a request signed for another service, and answers an unknown operation', async () => {
    const wrong = await tenant.as('sqs').send('POST', '/', {}, { 'X-Amz-Target': 'GraniteServiceVersion20100801.ListMetrics', 'Content-Type': 'application/x-amz-json-1.0' });
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toEqual({ __type: 'com.amazon.coral.service#InvalidSignatureException', message: "Credential should be scoped to correct service: 'monitoring'. " });
    const unknown = await cloudWatch.response(tenant, 'PutMetricAlarm', {});
    expect(await cloudWatchError(unknown, 'UnknownOperationException', 'InvalidAction')).toContain('Unknown or unsupported operation: PutMetricAlarm.');
  });
});

/** A Query-protocol request (form-encoded, Version 2010-08-01), signed as `service`. */
function query(params: Record<string, string | number>, client: Tenant | ReturnType<Tenant['as']> = tenant): Promise<Response> {
  const body = new URLSearchParams({ Version: '2010-08-01', ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])) }).toString();
  return client.send('POST', '/', body, { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' });
}
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const requestId = (xml: string) => /<RequestId>([^<]+)<\/RequestId>/.exec(xml)![1];

describe('Query protocol', () => {
  it('GetMetricStatistics: member lists in, XML with ISO 8601 timestamps out', async () => {
    const response = await query({
      Action: 'GetMetricStatistics', Namespace: 'AWS/Lambda', MetricName: 'Duration', 'Dimensions.member.1.Name': 'FunctionName', 'Dimensions.member.1.Value': 'b',
      StartTime: new Date(startSeconds * 1000).toISOString(), EndTime: new Date(endSeconds * 1000).toISOString(), Period: 60,
      'Statistics.member.1': 'Maximum', 'Statistics.member.2': 'SampleCount', 'ExtendedStatistics.member.1': 'p50',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/xml');
    const xml = await response.text();
    expect(xml).toBe(
      `<?xml version="1.0"?><GetMetricStatisticsResponse xmlns="${XMLNS}"><GetMetricStatisticsResult><Label>Duration</Label>` +
      `<Datapoints><member><Timestamp>${iso(second)}</Timestamp><SampleCount>1</SampleCount><Maximum>5</Maximum><Unit>Milliseconds</Unit>` +
      '<ExtendedStatistics><entry><key>p50</key><value>5</value></entry></ExtendedStatistics></member></Datapoints></GetMetricStatisticsResult>' +
      `<ResponseMetadata><RequestId>${requestId(xml)}</RequestId></ResponseMetadata></GetMetricStatisticsResponse>`);
    const empty = await (await query({
      Action: 'GetMetricStatistics', Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: '',
      StartTime: startSeconds, EndTime: endSeconds, Period: 60, 'Statistics.member.1': 'Sum',
    })).text();
    expect(empty).toContain('<GetMetricStatisticsResult><Label>CPUUtilization</Label><Datapoints/></GetMetricStatisticsResult>');
  });

  it('GetMetricData and ListMetrics', async () => {
    const data = await (await query({
      Action: 'GetMetricData', StartTime: iso(startSeconds * 1000), EndTime: iso(endSeconds * 1000),
      'MetricDataQueries.member.1.Id': 'm1', 'MetricDataQueries.member.1.MetricStat.Metric.Namespace': 'AWS/Lambda',
      'MetricDataQueries.member.1.MetricStat.Metric.MetricName': 'Invocations',
      'MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Name': 'FunctionName',
      'MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Value': 'a',
      'MetricDataQueries.member.1.MetricStat.Period': 60, 'MetricDataQueries.member.1.MetricStat.Stat': 'Sum',
      'MetricDataQueries.member.2.Id': 'm2', 'MetricDataQueries.member.2.ReturnData': 'false', 'MetricDataQueries.member.2.MetricStat.Metric.Namespace': 'AWS/Lambda',
      'MetricDataQueries.member.2.MetricStat.Metric.MetricName': 'Errors', 'MetricDataQueries.member.2.MetricStat.Period': 60, 'MetricDataQueries.member.2.MetricStat.Stat': 'Sum',
    })).text();
    expect(data).toContain(
      '<GetMetricDataResult><MetricDataResults><member><Id>m1</Id><Label>Invocations</Label>' +
      `<Timestamps><member>${iso(second)}</member><member>${iso(first)}</member></Timestamps><Values><member>2</member><member>3</member></Values>` +
      '<StatusCode>Complete</StatusCode></member></MetricDataResults><Messages/></GetMetricDataResult>');
    const listed = await (await query({ Action: 'ListMetrics', Namespace: 'AWS/Lambda', MetricName: 'Invocations', 'Dimensions.member.1.Name': 'FunctionName', 'Dimensions.member.1.Value': 'b' })).text();
    expect(listed).toContain(
      '<ListMetricsResult><Metrics><member><Namespace>AWS/Lambda</Namespace><MetricName>Invocations</MetricName>' +
      '<Dimensions><member><Name>FunctionName</Name><Value>b</Value></member></Dimensions></member></Metrics></ListMetricsResult>');
    const aggregate = await (await query({ Action: 'ListMetrics', MetricName: 'Errors' })).text();
    expect(aggregate).toContain('<member><Namespace>AWS/Lambda</Namespace><MetricName>Errors</MetricName><Dimensions/></member>');
  });

  it('answers errors as CloudWatch\'s ErrorResponse, and refuses a Version of another service than the signature\'s', async () => {
    const missing = await query({ Action: 'GetMetricStatistics', Namespace: 'AWS/Lambda', MetricName: 'Invocations', StartTime: startSeconds, EndTime: endSeconds, 'Statistics.member.1': 'Sum' });
    expect(missing.status).toBe(400);
    const xml = await missing.text();
    expect(xml).toBe(
      `<?xml version="1.0"?><ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type><Code>MissingParameter</Code>` +
      `<Message>The parameter Period is required.</Message></Error><RequestId>${requestId(xml)}</RequestId></ErrorResponse>`);
    const unknown = await (await query({ Action: 'PutMetricData' })).text();
    expect(unknown).toContain('<Code>InvalidAction</Code>');
    const asSqs = await query({ Action: 'ListMetrics' }, tenant.as('sqs'));
    expect(asSqs.status).toBe(403);
    expect(await asSqs.text()).toContain(`<ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>Credential should be scoped to correct service: &#39;monitoring&#39;. </Message>`);
    // An SQS Version signed for monitoring: SQS's refusal, in SQS's namespace.
    const sqsVersion = await tenant.send('POST', '/', 'Action=ListQueues&Version=2012-11-05', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(sqsVersion.status).toBe(403);
    expect(await sqsVersion.text()).toContain(`<ErrorResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>Credential should be scoped to correct service: &#39;sqs&#39;. </Message>`);
  });

  it('takes a structured parameter over a plain one of the same name, never a 500', async () => {
    const response = await query({
      Action: 'ListMetrics', Dimensions: 'x', 'Dimensions.member.1.Name': 'FunctionName', 'Dimensions.member.1.Value': 'b', 'Dimensions.member.1': 'y',
      '__proto__.polluted': 'yes', 'Dimensions.member.0.Name': 'odd',
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<Value>b</Value>');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
