// Live tail (GET /api/logs/tail, server-sent events from the account's LogStore) and the
// per-function ingest rate: lines arrive on the open stream as invocations write them, a
// reconnect with Last-Event-ID replays what it missed, tenants reach only their own groups, and a
// flood past the ingest rate is cut with a marker while every START/END/REPORT line is kept.
import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { createTenant, deploy, type Tenant } from '../support/signed-client';
import { eventually } from '../support/observe';
import { logsApi } from '../support/aws-json-client';
import type { FilteredEvent } from '../support/logs-client';
import { openTail as tail, TailReader } from '../support/tail-reader';

const TALKER = 'exports.handler = async (event) => { for (const word of event.words) console.log(word); return "ok"; };';

async function invoke(tenant: Tenant, name: string, event: unknown): Promise<void> {
  const response = await tenant.send('POST', `/2015-03-31/functions/${name}/invocations`, event);
  expect(response.status).toBe(200);
  await response.arrayBuffer();
}

describe('live tail', () => {
  it('streams a function\'s lines as invocations write them, before the group exists', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'talker', TALKER);
    const response = await tail(tenant, 'logGroupName=/aws/lambda/talker');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = new TailReader(response);

    await invoke(tenant, 'talker', { words: ['alpha', 'beta'] });
    const events = await reader.take(5);
    expect(events.map((e) => /^(START|END|REPORT) /.exec(e.message)?.[1] ?? e.message.split('\t').slice(2).join(' '))).toEqual(['START', 'INFO alpha', 'INFO beta', 'END', 'REPORT']);
    expect(events[0].message).toMatch(/^START RequestId: [0-9a-f-]{36} Version: \$LATEST$/);
    expect(events[0].logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(events.map((e) => e.id)).toEqual([...events.map((e) => e.id)].sort((a, b) => a - b));
    // Readers order by timestamp: END and REPORT never stand before the function's own lines.
    expect(events.map((e) => e.timestamp)).toEqual([...events.map((e) => e.timestamp)].sort((a, b) => a - b));

    await invoke(tenant, 'talker', { words: ['gamma'] });
    const next = await reader.take(4);
    expect(next.map((e) => e.message)).toContainEqual(expect.stringMatching(/\tINFO\tgamma$/));
    await reader.close();
  });

  it('filters with a pattern and replays what a reconnect missed after Last-Event-ID', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'talker', TALKER);
    const first = new TailReader(await tail(tenant, 'logGroupName=/aws/lambda/talker&filterPattern=REPORT'));
    await invoke(tenant, 'talker', { words: ['one'] });
    const [report] = await first.take(1);
    expect(report.message).toMatch(/^REPORT RequestId: /);
    await first.close();

    // Two invocations while nobody is listening.
    await invoke(tenant, 'talker', { words: ['two'] });
    await invoke(tenant, 'talker', { words: ['three'] });
    await eventually(
      () => logsApi.call<{ events: FilteredEvent[] }>(tenant, 'FilterLogEvents', { logGroupName: '/aws/lambda/talker', filterPattern: 'REPORT' }),
      (page) => page.events.length === 3,
    );
    const resumed = new TailReader(await tail(tenant, 'logGroupName=/aws/lambda/talker&filterPattern=REPORT', { 'Last-Event-ID': String(report.id) }));
    const missed = await resumed.take(2);
    expect(missed).toHaveLength(2);
    expect(missed.every((e) => e.message.startsWith('REPORT RequestId: ') && e.id > report.id)).toBe(true);
    await resumed.close();
  });

  it('answers only for the caller\'s own groups and functions', async () => {
    const owner = await createTenant('owner');
    const stranger = await createTenant('stranger');
    await deploy(owner, 'secret', TALKER);
    await invoke(owner, 'secret', { words: ['private'] });

    const denied = await tail(stranger, 'logGroupName=/aws/lambda/secret');
    expect(denied.status).toBe(404);
    expect(denied.headers.get('x-amzn-ErrorType')).toBe('ResourceNotFoundException');
    expect(await denied.json()).toEqual({ Type: 'User', message: 'The specified log group does not exist.' });

    expect((await tail(owner, '')).status).toBe(400);
    expect((await tail(owner, 'logGroupName=/aws/lambda/secret&filterPattern={ $.x = 1 }')).status).toBe(400);
    const unsigned = await (await import('cloudflare:workers')).exports.default.fetch('http://faasbox.test/api/logs/tail?logGroupName=/aws/lambda/secret');
    expect(unsigned.status).toBe(403);
  });
});

describe('log ingest rate', () => {
  it('cuts a flood past the function\'s ingest rate with one marker and keeps every REPORT line', async () => {
    const burst = Number(env.FAASBOX_LOG_INGEST_BURST_BYTES);
    const tenant = await createTenant();
    // Each invocation writes 100 lines of 2,000 bytes: 200,000 bytes, well inside the per-invocation cap.
    await deploy(tenant, 'flood', 'exports.handler = async () => { for (let i = 0; i < 100; i++) console.log(String(i).padStart(4, "0") + "x".repeat(1996)); return "ok"; };');
    const invocations = Math.ceil((burst * 2) / 200_000);
    const floodStartedAtMs = Date.now();
    await Promise.all(Array.from({ length: invocations }, () => invoke(tenant, 'flood', {})));

    const read = (pattern: string) => logsApi.call<{ events: FilteredEvent[] }>(tenant, 'FilterLogEvents', { logGroupName: '/aws/lambda/flood', filterPattern: pattern });
    const reports = await eventually(() => read('REPORT').catch(() => ({ events: [] })), (page) => page.events.length === invocations);
    const floodSeconds = (Date.now() - floodStartedAtMs) / 1000; // every write has landed by now
    expect(reports.events).toHaveLength(invocations);
    expect((await read('START')).events).toHaveLength(invocations);
    expect((await read('END')).events).toHaveLength(invocations);

    const markers = (await read('"log line(s)" dropped')).events;
    // Every page: FilterLogEvents answers at most 1 MB of events a page, about 500 of these lines.
    let kept = 0;
    let nextToken: string | undefined;
    do {
      const page = await logsApi.call<{ events: FilteredEvent[]; nextToken?: string }>(tenant, 'FilterLogEvents', { logGroupName: '/aws/lambda/flood', filterPattern: 'xxxxxxxxxx', ...(nextToken && { nextToken }) });
      kept += page.events.length;
      nextToken = page.nextToken;
    } while (nextToken);
    // A machine slow enough that the writes took longer than the burst lasts keeps every line;
    // otherwise the cut is marked.
    if (kept < invocations * 100) {
      expect(markers.length).toBeGreaterThan(0);
      expect(markers[0].message).toMatch(/^\[faasbox\] \d+ log line\(s\), \d+ bytes, dropped: \/aws\/lambda\/flood is over its ingest rate of \d+ bytes\/s$/);
    }
    // Kept and dropped lines add up to every line written: nothing vanishes without a count.
    const dropped = markers.reduce((n, m) => n + Number(/\] (\d+) log line/.exec(m.message)![1]), 0);
    expect(kept + dropped).toBe(invocations * 100);
    // No more than the burst plus the rate over the time the writes took.
    expect(kept * 2000).toBeLessThanOrEqual(burst + Number(env.FAASBOX_LOG_INGEST_BYTES_PER_SECOND) * Math.ceil(floodSeconds));
  });
});
