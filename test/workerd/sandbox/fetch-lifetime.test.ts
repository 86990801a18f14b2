// A fetch does not outlive its invocation: whether the handler returns, throws or times out, a
// request it started and that has not finished is aborted, and its response body is not read
// any more. The sandbox runs here with the host's real fetch against the local HTTP target, in
// the test's own request, which stays alive after the invocation: only the abort can close the
// connection the target holds open.
import { afterAll, describe, expect, inject, it } from 'vitest';
import { EnvironmentPool } from '../../../sandbox';
import { capabilities, inputFor, specFor } from './support';

const pool = new EnvironmentPool({ budgetBytes: 256 * 1024 * 1024 });
afterAll(() => pool.dispose());

/**
 * Starts a request whose response never ends, waits until the target has it, then ends as
 * `event.ending` says: returns, throws, or waits for that response until the timeout.
 */
const HOLDER = `exports.handler = async (event) => {
  const held = fetch(event.target + '/hold/' + event.key);
  await fetch(event.target + '/seen/' + event.key);
  if (event.ending === 'throws') throw new Error('boom');
  if (event.ending === 'times out') await held;
  return 'returned';
};`;

const target = () => inject('httpTargetUrl');
const realFetch = () => capabilities({
  fetch: (request) => fetch(request),
  egress: { allow: [{ hostname: '127.0.0.1', port: inject('httpTargetPort') }], platformDomains: [] },
});

describe('a request still in flight when the invocation ends', () => {
  it.each([
    ['returns', 'success'],
    ['throws', 'function-error'],
    ['times out', 'timeout'],
  ])('is aborted when the handler %s', async (ending, outcome) => {
    const key = crypto.randomUUID();
    const report = await pool.invoke(specFor({ 'index.js': HOLDER }, { timeoutMs: 1000 }), inputFor({ target: target(), key, ending }), realFetch());
    expect(report.result.kind === 'success' ? 'success' : (report.result as { reason: string }).reason).toBe(outcome);
    expect(report.fetches).toEqual([
      expect.objectContaining({ url: `${target()}/hold/${key}`, error: 'the invocation ended before the response' }),
      expect.objectContaining({ url: `${target()}/seen/${key}`, status: 200 }),
    ]);
    // Answers once the target saw the held connection close; without the abort it never does.
    const closed = await fetch(`${target()}/closed/${key}`);
    expect(await closed.text()).toBe('closed');
  });
});

describe('the body of a response in flight', () => {
  it('is cancelled when the invocation ends, and the request signal aborted', async () => {
    let signal: AbortSignal | undefined;
    let bodyCancelled!: () => void;
    const cancelled = new Promise<void>((resolve) => (bodyCancelled = resolve));
    const caps = capabilities({
      fetch: async (request) => {
        signal = request.signal;
        return new Response(new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode('first')), cancel: bodyCancelled }));
      },
    });
    const source = "exports.handler = async () => { fetch('https://slow.test/'); return 1; };";
    const report = await pool.invoke(specFor({ 'index.js': source }), inputFor(), caps);
    expect(report.result.kind).toBe('success');
    expect(signal?.aborted).toBe(true);
    await cancelled; // never settles while the body is still being read
  });
});
