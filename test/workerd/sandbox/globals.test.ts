// The guest's globals: timers, Web APIs, fetch through capabilities, console formatting, isolation.
import { afterAll, describe, expect, it } from 'vitest';
import { EnvironmentPool } from '../../../sandbox';
import { capabilities, inputFor, payloadOf, specFor } from './support';

const pool = new EnvironmentPool({ budgetBytes: 512 * 1024 * 1024 });
afterAll(() => pool.dispose());

async function evaluate(body: string, caps = capabilities()) {
  return pool.invoke(specFor({ 'index.js': `exports.handler = async (event) => { ${body} };` }), inputFor(), caps);
}

describe('guest globals', () => {
  it('runs timers in order and supports clearTimeout, setInterval and queueMicrotask', async () => {
    const report = await evaluate(`
      const order = [];
      await new Promise((resolve) => {
        // Done when both the 20 ms timer and the interval's second tick have run, whenever that is:
        // on a loaded machine a late first tick re-arms the interval past any fixed end.
        let pending = 2;
        const done = () => { if (--pending === 0) setTimeout(resolve, 5); };
        setTimeout(() => { order.push('t20'); done(); }, 20);
        setTimeout(() => order.push('t5'), 5);
        const cancelled = setTimeout(() => order.push('never'), 1);
        clearTimeout(cancelled);
        let n = 0;
        const interval = setInterval(() => { order.push('i' + ++n); if (n === 2) { clearInterval(interval); done(); } }, 2);
        queueMicrotask(() => order.push('micro'));
        process.nextTick(() => order.push('tick'));
      });
      return order;`);
    const order = payloadOf(report) as string[];
    expect(order.slice(0, 2)).toEqual(['micro', 'tick']);
    expect(order.filter((entry) => entry.startsWith('i'))).toEqual(['i1', 'i2']);
    expect(order.indexOf('t5')).toBeLessThan(order.indexOf('t20'));
    expect(order).not.toContain('never');
  });

  it('provides URL, URLSearchParams, TextEncoder/Decoder, atob/btoa, structuredClone and crypto', async () => {
    const report = await evaluate(`
      const url = new URL('/path?a=1&b=two', 'https://example.com:8443');
      url.searchParams.append('c', 'x y');
      const clone = structuredClone({ m: new Map([[1, { d: new Date(0) }]]), s: new Set([1]), r: /x/g, bytes: new Uint8Array([1, 2]) });
      const cyclic = { name: 'c' }; cyclic.self = cyclic;
      const copy = structuredClone(cyclic);
      const random = crypto.getRandomValues(new Uint8Array(8));
      return {
        href: url.href, host: url.host, a: url.searchParams.get('a'),
        params: new URLSearchParams({ q: 'a&b' }).toString(),
        bytes: Array.from(new TextEncoder().encode('hé')),
        text: new TextDecoder().decode(new Uint8Array([0xe2, 0x82, 0xac])),
        b64: btoa('hello'), unb64: atob('aGVsbG8='),
        clone: [clone.m.get(1).d instanceof Date, clone.s.has(1), clone.r.flags, clone.bytes[1], copy.self === copy],
        uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(crypto.randomUUID()),
        random: random.length,
        invalid: URL.canParse('not a url'),
      };`);
    expect(payloadOf(report)).toEqual({
      href: 'https://example.com:8443/path?a=1&b=two&c=x+y',
      host: 'example.com:8443',
      a: '1',
      params: 'q=a%26b',
      bytes: [104, 195, 169],
      text: '€',
      b64: 'aGVsbG8=',
      unb64: 'hello',
      clone: [true, true, 'g', 2, true],
      uuid: true,
      random: 8,
      invalid: false,
    });
  });

  it('formats console arguments like Node', async () => {
    const report = await evaluate(`
      console.log('%s is %d years, %i, %j', 'Bob', 42.5, 42.9, { a: 1 });
      console.info({ a: 1, b: 'two', c: [1, 2, { d: { e: { f: 1 } } }] });
      console.warn(new Map([['k', 1]]), new Set([1]), null, undefined, 5n);
      console.error('plain', 1, true);
      console.debug('dbg');
      const circular = { name: 'x' }; circular.self = circular;
      console.log(circular, [undefined, function named() {}]);
      console.trace('here');`);
    const lines = report.console.map((r) => [r.level, r.message]);
    expect(lines.slice(0, 6)).toEqual([
      ['INFO', 'Bob is 42.5 years, 42, {"a":1}'],
      ['INFO', "{ a: 1, b: 'two', c: [ 1, 2, { d: [Object] } ] }"],
      ['WARN', "Map(1) { 'k' => 1 } Set(1) { 1 } null undefined 5n"],
      ['ERROR', 'plain 1 true'],
      ['DEBUG', 'dbg'],
      ['INFO', "{ name: 'x', self: [Circular *1] } [ undefined, [Function: named] ]"],
    ]);
    expect(report.console[6].level).toBe('TRACE');
    expect(report.console[6].message).toMatch(/^Trace: here/);
  });

  it('exposes no host object to user code', async () => {
    const report = await evaluate(`return [typeof globalThis.__faasboxHost, Object.getOwnPropertyNames(globalThis).filter((n) => /host/i.test(n))];`);
    expect(payloadOf(report)).toEqual(['undefined', []]);
  });
});

describe('fetch', () => {
  it('bridges to capabilities.fetch with a real Request, and reads the response', async () => {
    const seen: { url: string; method: string; header: string | null; body: string }[] = [];
    const caps = capabilities({
      fetch: async (request) => {
        seen.push({ url: request.url, method: request.method, header: request.headers.get('x-test'), body: await request.text() });
        return new Response(JSON.stringify({ ok: 1 }), { status: 201, headers: { 'content-type': 'application/json' } });
      },
    });
    const report = await evaluate(`
      const response = await fetch('https://api.test/items', { method: 'POST', headers: { 'X-Test': 'yes' }, body: JSON.stringify({ a: 1 }) });
      return { status: response.status, ok: response.ok, type: response.headers.get('content-type'), body: await response.json() };`, caps);
    expect(payloadOf(report)).toEqual({ status: 201, ok: true, type: 'application/json', body: { ok: 1 } });
    expect(seen).toEqual([{ url: 'https://api.test/items', method: 'POST', header: 'yes', body: '{"a":1}' }]);
  });

  it('reports every request that left, with the span id it handed to capabilities.fetch', async () => {
    const spans: string[] = [];
    const caps = capabilities({
      fetch: async (request, spanId) => {
        spans.push(spanId);
        if (request.url.endsWith('/down')) throw new Error('connection refused');
        return new Response('', { status: request.url.endsWith('/missing') ? 404 : 200 });
      },
      maxFetchRequests: 3,
    });
    const report = await evaluate(`
      await fetch('https://a.test/ok');
      await fetch('https://b.test/missing', { method: 'DELETE' });
      await fetch('https://c.test/down').catch(() => undefined);
      await fetch('https://d.test/over-the-cap').catch(() => undefined);
      return 1;`, caps);
    expect(spans).toHaveLength(3);
    expect(spans.every((id) => /^[0-9a-f]{16}$/.test(id))).toBe(true);
    expect(report.fetches).toEqual([
      { spanId: spans[0], method: 'GET', url: 'https://a.test/ok', status: 200, startedAtMs: expect.any(Number), endedAtMs: expect.any(Number) },
      { spanId: spans[1], method: 'DELETE', url: 'https://b.test/missing', status: 404, startedAtMs: expect.any(Number), endedAtMs: expect.any(Number) },
      { spanId: spans[2], method: 'GET', url: 'https://c.test/down', error: 'fetch failed: connection refused', startedAtMs: expect.any(Number), endedAtMs: expect.any(Number) },
    ]);
    for (const f of report.fetches!) expect(f.endedAtMs).toBeGreaterThanOrEqual(f.startedAtMs);
    expect(report.handlerStartedAtMs).toBeLessThanOrEqual(report.fetches![0].startedAtMs);
  });

  it('records a request still pending when the invocation ends as ended then', async () => {
    const caps = capabilities({ fetch: () => new Promise<Response>(() => undefined) });
    const report = await evaluate(`fetch('https://slow.test/'); return 1;`, caps);
    expect(report.fetches).toEqual([expect.objectContaining({ url: 'https://slow.test/', error: 'the invocation ended before the response' })]);
    expect(report.fetches![0].status).toBeUndefined();
  });

  it('enforces the request count and body size caps with a TypeError in the guest', async () => {
    const caps = capabilities({ fetch: async () => new Response('x'.repeat(2000)), maxFetchRequests: 2, maxFetchBodyBytes: 1000 });
    const report = await evaluate(`
      const errors = [];
      try { await fetch('https://a.test/'); } catch (e) { errors.push(e.name + ': ' + e.message); }
      try { await fetch('https://a.test/', { method: 'POST', body: 'y'.repeat(5000) }); } catch (e) { errors.push(e.name + ': ' + e.message); }
      try { await fetch('https://a.test/'); } catch (e) { errors.push(e.name + ': ' + e.message); }
      try { await fetch('https://a.test/'); } catch (e) { errors.push(e.name + ': ' + e.message); }
      return errors;`, caps);
    expect(payloadOf(report)).toEqual([
      'TypeError: fetch failed: response body exceeds 1000 bytes',
      'TypeError: fetch failed: request body exceeds 1000 bytes',
      'TypeError: fetch failed: response body exceeds 1000 bytes',
      'TypeError: fetch failed: more than 2 requests in one invocation',
    ]);
  });
});
