// Lines reach an open live tail while the function runs: START and each console line before the
// invocation's response, the closing lines (error, END, REPORT) at its end, in order, and the
// stored copy holds the same events; a timeout, a thrown error or running out of memory loses no
// line written before it; an async event's lines stream the same way; and the ingest rate cuts an
// invocation written in batches exactly as it cuts one written at once.
import { describe, expect, it } from 'vitest';
import { createTenant, deploy, type Tenant } from '../support/signed-client';
import { eventually } from '../support/observe';
import { logsApi } from '../support/aws-json-client';
import type { FilteredEvent } from '../support/logs-client';
import { openTail, TailReader, type TailEvent } from '../support/tail-reader';
import { IngestLimiter, WHOLE_INVOCATION, type DroppedLines } from '../../../src/logs/ingest-rate';
import type { LogEvent } from '../../../src/records/logs';

const PAUSE = 'await new Promise((r) => setTimeout(r, 1500));';
const SLOW_TALKER = `exports.handler = async () => { console.log("first"); ${PAUSE} console.log("second"); return "done"; };`;

/** START, END, REPORT, the runtime's closing error line, or a console line's level and text. */
function label(event: { message: string }): string {
  const platform = /^(START|END|REPORT) /.exec(event.message)?.[1];
  if (platform) return platform;
  if (/ Task timed out after /.test(event.message)) return 'timed out';
  const [, , level, text] = event.message.split('\t');
  return text === 'Invoke Error ' ? 'Invoke Error' : `${level} ${text}`;
}

/** What the tail and the store both say of an event. */
const fields = (e: TailEvent | FilteredEvent) => ({ logStreamName: e.logStreamName, timestamp: e.timestamp, ingestionTime: e.ingestionTime, message: e.message });

interface Watched {
  /** Labels of the tail's events, and 'response' where the invoke call answered among them. */
  order: string[];
  events: TailEvent[];
  response: Response;
}

/** Invokes `name` with a tail open on its group, reading `count` events off it. */
async function invokeWatched(tenant: Tenant, name: string, count: number, headers: Record<string, string> = {}): Promise<Watched> {
  const reader = new TailReader(await openTail(tenant, `logGroupName=/aws/lambda/${name}`));
  const order: string[] = [];
  const answered = tenant.send('POST', `/2015-03-31/functions/${name}/invocations`, {}, headers).then((response) => {
    order.push('response');
    return response;
  });
  const events: TailEvent[] = [];
  try {
    while (events.length < count) {
      const [event] = await reader.take(1);
      if (!event) break;
      events.push(event);
      order.push(label(event));
    }
  } finally {
    await reader.close();
  }
  return { order, events, response: await answered };
}

/** The group's stored events (FilterLogEvents), once its REPORT line is there. */
async function stored(tenant: Tenant, name: string): Promise<FilteredEvent[]> {
  const read = () => logsApi.call<{ events: FilteredEvent[] }>(tenant, 'FilterLogEvents', { logGroupName: `/aws/lambda/${name}` });
  return (await eventually(read, (page) => page.events.some((e) => e.message.startsWith('REPORT ')))).events;
}

describe('lines while the function runs', () => {
  it('delivers START and a line to the tail before the response, then the rest in order, and stores the same events', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'slow', SLOW_TALKER, { Timeout: 10 });
    const { order, events, response } = await invokeWatched(tenant, 'slow', 5, { 'X-Amz-Log-Type': 'Tail' });

    expect(response.status).toBe(200);
    expect(await response.json()).toBe('done');
    expect(events.map(label)).toEqual(['START', 'INFO first', 'INFO second', 'END', 'REPORT']);
    expect(order.indexOf('START')).toBeLessThan(order.indexOf('response'));
    expect(order.indexOf('INFO first')).toBeLessThan(order.indexOf('response'));
    // Written in separate batches: the first while the function ran, the closing lines at its end.
    expect(events[1].ingestionTime).toBeLessThan(events[4].ingestionTime);
    expect(events.map((e) => e.timestamp)).toEqual([...events.map((e) => e.timestamp)].sort((a, b) => a - b));

    const kept = await stored(tenant, 'slow');
    expect(kept.map(fields)).toEqual(events.map(fields));
    // The stored log is the invocation's whole log, as LogType Tail reports it from one formatting.
    expect(atob(response.headers.get('x-amz-log-result')!)).toBe(kept.map((e) => `${e.message}\n`).join(''));
  });

  for (const [outcome, source, config, expected] of [
    ['a timeout', 'exports.handler = async () => { console.log("before"); for (;;) {} };', { Timeout: 1 },
      ['START', 'INFO before', 'timed out', 'END', 'REPORT']],
    ['a thrown error', `exports.handler = async () => { console.log("before"); ${PAUSE} console.log("last words"); throw new Error("boom"); };`, { Timeout: 10 },
      ['START', 'INFO before', 'INFO last words', 'Invoke Error', 'END', 'REPORT']],
    ['running out of memory', `exports.handler = async () => { console.log("before"); ${PAUSE} const hoard = []; for (;;) hoard.push(new Array(1024).fill(hoard.length)); };`, { Timeout: 10 },
      ['START', 'INFO before', 'Invoke Error', 'END', 'REPORT']],
  ] as const) {
    it(`keeps every line written before ${outcome}, on the tail and in the store`, async () => {
      const tenant = await createTenant();
      await deploy(tenant, 'ends-badly', source, config);
      const { order, events, response } = await invokeWatched(tenant, 'ends-badly', expected.length);
      expect(response.headers.get('x-amz-function-error')).toBe('Unhandled');
      expect(events.map(label)).toEqual(expected);
      expect(order.indexOf('INFO before')).toBeLessThan(order.indexOf('response'));
      expect((await stored(tenant, 'ends-badly')).map(fields)).toEqual(events.map(fields));
    });
  }

  it('streams an async event\'s lines while it runs, as a synchronous invocation\'s', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'slow', SLOW_TALKER, { Timeout: 10 });
    const { events, response } = await invokeWatched(tenant, 'slow', 5, { 'X-Amz-Invocation-Type': 'Event' });
    expect(response.status).toBe(202);
    expect(events.map(label)).toEqual(['START', 'INFO first', 'INFO second', 'END', 'REPORT']);
    expect(events[1].ingestionTime).toBeLessThan(events[4].ingestionTime);
    expect((await stored(tenant, 'slow')).map(fields)).toEqual(events.map(fields));
  });
});

describe('ingest rate across batches', () => {
  it('cuts an invocation written in batches as it cuts the same lines written at once', () => {
    const rate = { bytesPerSecond: 0, burstBytes: 55 };
    const line = (i: number): LogEvent => ({ timestamp: 1000 + i, message: `line ${String(i).padStart(3, '0')}` }); // 8 bytes each
    const events: LogEvent[] = [
      { timestamp: 1000, message: 'START', platform: true },
      ...Array.from({ length: 10 }, (_, i) => line(i + 1)),
      { timestamp: 1020, message: 'END', platform: true },
      { timestamp: 1020, message: 'REPORT', platform: true },
    ];
    const atOnce = new IngestLimiter(rate).admit('/aws/lambda/f', events, 5000, WHOLE_INVOCATION).kept;
    expect(atOnce.map((e) => e.message)).toEqual([
      'START', ...[1, 2, 3, 4, 5, 6].map((i) => line(i).message),
      '[faasbox] 4 log line(s), 32 bytes, dropped: /aws/lambda/f is over its ingest rate of 0 bytes/s', 'END', 'REPORT',
    ]);

    // The drop begins inside the second batch; the third carries only dropped lines and the closing ones.
    const limiter = new IngestLimiter(rate);
    let droppedBefore: DroppedLines = { lines: 0, bytes: 0 };
    const inBatches: LogEvent[] = [];
    for (const [batch, closing] of [[events.slice(0, 4), false], [events.slice(4, 9), false], [events.slice(9), true]] as const) {
      const { kept, dropped } = limiter.admit('/aws/lambda/f', [...batch], 5000, { droppedBefore, closing });
      inBatches.push(...kept);
      droppedBefore = dropped;
    }
    expect(inBatches).toEqual(atOnce);
  });
});
