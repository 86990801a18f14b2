// The CloudWatch Logs-compatible API inside workerd: functions are invoked through the Lambda API,
// their START/console/END/REPORT lines are then read back through DescribeLogGroups,
// DescribeLogStreams, GetLogEvents and FilterLogEvents; retention, deletion and tenant isolation.
import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { createTenant, deploy, type Tenant } from '../support/signed-client';
import { eventually } from '../support/observe';
import { logsApi } from '../support/aws-json-client';
import type { FilteredEvent } from '../support/logs-client';

const SOURCE = 'exports.handler = async (event) => { console.log("Order", event.n, "shipped to", event.to); console.error("Warning: slow"); return event.n; };';

/** Invokes `name` once per event, then waits until every invocation's REPORT line is stored. */
async function invokeAndWait(tenant: Tenant, name: string, events: Record<string, unknown>[]): Promise<FilteredEvent[]> {
  for (const event of events) {
    const response = await tenant.send('POST', `/2015-03-31/functions/${name}/invocations`, event);
    expect(response.status).toBe(200);
  }
  const { events: stored } = await eventually(
    () => logsApi.call<{ events: FilteredEvent[] }>(tenant, 'FilterLogEvents', { logGroupName: `/aws/lambda/${name}`, filterPattern: 'REPORT' }).catch(() => ({ events: [] })),
    (page) => page.events.length >= events.length,
  );
  return stored;
}

describe('CloudWatch Logs API', () => {
  it('describes the account\'s log groups with prefix, paging, ARN, sizes and retention', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'alpha', SOURCE);
    await deploy(tenant, 'beta', SOURCE);
    const firstInvokedAtMs = Date.now();
    await invokeAndWait(tenant, 'alpha', [{ n: 1, to: 'Oslo' }]);
    await invokeAndWait(tenant, 'beta', [{ n: 2, to: 'Rome' }]);

    type Groups = { logGroups: { logGroupName: string; arn: string; creationTime: number; storedBytes: number; retentionInDays?: number }[]; nextToken?: string };
    const all = await logsApi.call<Groups>(tenant, 'DescribeLogGroups', {});
    expect(all.logGroups.map((g) => g.logGroupName)).toEqual(['/aws/lambda/alpha', '/aws/lambda/beta']);
    expect(all.nextToken).toBeUndefined();
    const [alpha] = all.logGroups;
    expect(alpha.arn).toBe(`arn:aws:logs:us-east-1:${tenant.accountId}:log-group:/aws/lambda/alpha:*`);
    // Created by the first invocation's log lines.
    expect(alpha.creationTime).toBeGreaterThanOrEqual(firstInvokedAtMs);
    expect(alpha.creationTime).toBeLessThanOrEqual(Date.now());
    expect(alpha.storedBytes).toBeGreaterThan(100);
    expect(alpha.retentionInDays).toBeUndefined();

    const first = await logsApi.call<Groups>(tenant, 'DescribeLogGroups', { limit: 1 });
    expect(first.logGroups.map((g) => g.logGroupName)).toEqual(['/aws/lambda/alpha']);
    const second = await logsApi.call<Groups>(tenant, 'DescribeLogGroups', { limit: 1, nextToken: first.nextToken });
    expect(second.logGroups.map((g) => g.logGroupName)).toEqual(['/aws/lambda/beta']);
    expect(second.nextToken).toBeUndefined();
    expect((await logsApi.call<Groups>(tenant, 'DescribeLogGroups', { logGroupNamePrefix: '/aws/lambda/b' })).logGroups.map((g) => g.logGroupName)).toEqual(['/aws/lambda/beta']);

    await logsApi.call(tenant, 'PutRetentionPolicy', { logGroupName: '/aws/lambda/beta', retentionInDays: 14 });
    expect((await logsApi.call<Groups>(tenant, 'DescribeLogGroups', { logGroupNamePrefix: '/aws/lambda/beta' })).logGroups[0].retentionInDays).toBe(14);
    await logsApi.call(tenant, 'DeleteRetentionPolicy', { logGroupName: '/aws/lambda/beta' });
    expect((await logsApi.call<Groups>(tenant, 'DescribeLogGroups', { logGroupNamePrefix: '/aws/lambda/beta' })).logGroups[0].retentionInDays).toBeUndefined();
  });

  it('describes streams and pages through one stream\'s events with f/ and b/ tokens', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'pager', SOURCE);
    await invokeAndWait(tenant, 'pager', [{ n: 1, to: 'A' }, { n: 2, to: 'B' }]);
    const group = '/aws/lambda/pager';

    type Streams = { logStreams: { logStreamName: string; arn: string; creationTime: number; firstEventTimestamp: number; lastEventTimestamp: number; lastIngestionTime: number }[] };
    const { logStreams } = await logsApi.call<Streams>(tenant, 'DescribeLogStreams', { logGroupName: group, orderBy: 'LastEventTime', descending: true });
    expect(logStreams).toHaveLength(1);
    const [stream] = logStreams;
    expect(stream.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(stream.arn).toBe(`arn:aws:logs:us-east-1:${tenant.accountId}:log-group:${group}:log-stream:${stream.logStreamName}`);
    expect(stream.firstEventTimestamp).toBeLessThanOrEqual(stream.lastEventTimestamp);
    expect(stream.lastIngestionTime).toBeGreaterThanOrEqual(stream.creationTime);
    expect((await logsApi.call<Streams>(tenant, 'DescribeLogStreams', { logGroupName: group, logStreamNamePrefix: 'nope' })).logStreams).toEqual([]);
    const conflicting = await logsApi.response(tenant, 'DescribeLogStreams', { logGroupName: group, orderBy: 'LastEventTime', logStreamNamePrefix: '2' });
    expect(conflicting.status).toBe(400);
    expect(conflicting.headers.get('x-amzn-errortype')).toBe('InvalidParameterException');

    type Page = { events: { timestamp: number; message: string; ingestionTime: number }[]; nextForwardToken: string; nextBackwardToken: string };
    const read = (body: Record<string, unknown>) => logsApi.call<Page>(tenant, 'GetLogEvents', { logGroupName: group, logStreamName: stream.logStreamName, ...body });
    // Two invocations: START, two console lines, END, REPORT each.
    const whole = await read({ startFromHead: true });
    expect(whole.events.map((e) => e.message.split(/[ \t]/)[0])).toEqual(['START', expect.any(String), expect.any(String), 'END', 'REPORT', 'START', expect.any(String), expect.any(String), 'END', 'REPORT']);
    expect(whole.events[1].message).toMatch(/\tINFO\tOrder 1 shipped to A$/);
    expect(whole.events[0].ingestionTime).toBeGreaterThanOrEqual(whole.events[0].timestamp);

    const pages: string[] = [];
    let token: string | undefined;
    for (;;) {
      const page = await read({ startFromHead: true, limit: 3, nextToken: token });
      if (page.nextForwardToken === token) break;
      expect(page.nextForwardToken).toMatch(/^f\/\d+$/);
      expect(page.nextBackwardToken).toMatch(/^b\/\d+$/);
      pages.push(...page.events.map((e) => e.message));
      token = page.nextForwardToken;
    }
    expect(pages).toEqual(whole.events.map((e) => e.message));

    const latest = await read({ limit: 2 });
    expect(latest.events.map((e) => e.message.split(' ')[0])).toEqual(['END', 'REPORT']);
    const earlier = await read({ limit: 3, nextToken: latest.nextBackwardToken });
    expect(earlier.events.map((e) => e.message)).toEqual(whole.events.slice(5, 8).map((e) => e.message));

    const missing = await logsApi.response(tenant, 'GetLogEvents', { logGroupName: group, logStreamName: 'no-such-stream' });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ __type: 'ResourceNotFoundException', message: 'The specified log stream does not exist.' });
  });

  it('filters events by terms and quoted phrases, case-sensitively, with limit and nextToken', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'shop', SOURCE);
    await invokeAndWait(tenant, 'shop', [{ n: 1, to: 'New York' }, { n: 2, to: 'York' }, { n: 3, to: 'new york' }]);
    const filter = (body: Record<string, unknown>) =>
      logsApi.call<{ events: FilteredEvent[]; nextToken?: string; searchedLogStreams: { logStreamName: string }[] }>(tenant, 'FilterLogEvents', { logGroupName: '/aws/lambda/shop', ...body });

    const york = await filter({ filterPattern: 'Order York' });
    expect(york.events.map((e) => e.message.split('\t').pop())).toEqual(['Order 1 shipped to New York', 'Order 2 shipped to York']);
    const phrase = await filter({ filterPattern: '"to York"' });
    expect(phrase.events.map((e) => e.message.split('\t').pop())).toEqual(['Order 2 shipped to York']);
    expect((await filter({ filterPattern: 'Order -York' })).events.map((e) => e.message.split('\t').pop())).toEqual(['Order 3 shipped to new york']);
    expect((await filter({ filterPattern: 'order' })).events).toEqual([]);

    const everything = await filter({});
    expect(everything.events).toHaveLength(15);
    expect(everything.nextToken).toBeUndefined();
    expect(everything.searchedLogStreams).toHaveLength(1);
    expect(new Set(everything.events.map((e) => e.eventId)).size).toBe(15);
    const timestamps = everything.events.map((e) => e.timestamp);
    expect(timestamps).toEqual([...timestamps].sort((a, b) => a - b));

    const paged: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await filter({ filterPattern: 'Warning', limit: 2, nextToken });
      paged.push(...page.events.map((e) => e.eventId));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(paged).toEqual(everything.events.filter((e) => e.message.includes('Warning')).map((e) => e.eventId));

    const [first] = everything.events;
    const later = await filter({ startTime: first.timestamp + 1 });
    expect(later.events.every((e) => e.timestamp > first.timestamp)).toBe(true);
    expect((await filter({ logStreamNames: ['other'] })).events).toEqual([]);
    expect((await filter({ logStreamNames: [first.logStreamName], filterPattern: 'START' })).events).toHaveLength(3);

    const json = await logsApi.response(tenant, 'FilterLogEvents', { logGroupName: '/aws/lambda/shop', filterPattern: '{ $.level = "x" }' });
    expect(json.status).toBe(400);
    expect(json.headers.get('x-amzn-errortype')).toBe('InvalidParameterException');
  });

  it('refuses a filter pattern with an unterminated quoted phrase with InvalidParameterException', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'quotes', SOURCE);
    await invokeAndWait(tenant, 'quotes', [{ n: 1, to: 'Oslo' }]);
    for (const [pattern, term] of [['"Order', '"Order'], ['Order "shipped to', '"shipped to'], ['-"Warning', '"Warning'], ['"a\\"', '"a\\"'], ['"', '"']]) {
      const response = await logsApi.response(tenant, 'FilterLogEvents', { logGroupName: '/aws/lambda/quotes', filterPattern: pattern });
      expect(await logsApi.error(response, 'InvalidParameterException'), pattern).toBe(`Invalid filter pattern: Invalid character(s) in term '${term}'`);
    }
    const closed = await logsApi.call<{ events: FilteredEvent[] }>(tenant, 'FilterLogEvents', { logGroupName: '/aws/lambda/quotes', filterPattern: '"shipped to" -"to Rome"' });
    expect(closed.events).toHaveLength(1);
  });

  it('enforces retention: events older than the period are gone once it is set', async () => {
    const tenant = await createTenant();
    const store = env.LOGS.get(env.LOGS.idFromName(tenant.accountId));
    const day = 86_400_000;
    await store.append('/aws/lambda/old', 'stream-1', [
      { timestamp: Date.now() - 10 * day, message: 'ten days ago' },
      { timestamp: Date.now() - 2 * day, message: 'two days ago' },
    ]);
    const bad = await logsApi.response(tenant, 'PutRetentionPolicy', { logGroupName: '/aws/lambda/old', retentionInDays: 2 });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('x-amzn-errortype')).toBe('InvalidParameterException');
    await logsApi.call(tenant, 'PutRetentionPolicy', { logGroupName: '/aws/lambda/old', retentionInDays: 7 });
    const { events } = await logsApi.call<{ events: FilteredEvent[] }>(tenant, 'FilterLogEvents', { logGroupName: '/aws/lambda/old' });
    expect(events.map((e) => e.message)).toEqual(['two days ago']);

    // Writes enforce it too.
    await store.append('/aws/lambda/old', 'stream-1', [{ timestamp: Date.now() - 30 * day, message: 'a month ago' }]);
    expect((await store.readEvents('/aws/lambda/old')).map((e) => e.message)).toEqual(['two days ago']);
  });

  it('answers a missing group with ResourceNotFoundException, deletes groups, and keeps tenants apart', async () => {
    const owner = await createTenant('owner');
    const other = await createTenant('other');
    await deploy(owner, 'private', SOURCE);
    await invokeAndWait(owner, 'private', [{ n: 1, to: 'secret' }]);

    expect((await logsApi.call<{ logGroups: unknown[] }>(other, 'DescribeLogGroups', {})).logGroups).toEqual([]);
    for (const operation of ['FilterLogEvents', 'DescribeLogStreams', 'PutRetentionPolicy', 'DeleteLogGroup']) {
      const response = await logsApi.response(other, operation, { logGroupName: '/aws/lambda/private', retentionInDays: 1 });
      expect(response.status, operation).toBe(400);
      expect(response.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
      expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1');
      expect(await response.json()).toEqual({ __type: 'ResourceNotFoundException', message: 'The specified log group does not exist.' });
    }

    await logsApi.call(owner, 'DeleteLogGroup', { logGroupName: '/aws/lambda/private' });
    expect((await logsApi.call<{ logGroups: unknown[] }>(owner, 'DescribeLogGroups', {})).logGroups).toEqual([]);
    expect((await logsApi.response(owner, 'FilterLogEvents', { logGroupName: '/aws/lambda/private' })).status).toBe(400);

    const unknown = await logsApi.response(owner, 'CreateExportTask', {});
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
  });
});
