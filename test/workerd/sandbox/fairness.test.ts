// CPU fairness between tenants of one isolate: a guest that computes for long pauses after each
// slice, so a healthy invocation started while it runs finishes first. Asserts order, not time.
import { afterAll, describe, expect, it } from 'vitest';
import { EnvironmentPool, type InvocationReport } from '../../../sandbox';
import echo from '../../fixtures/functions/echo.js?raw';
import { capabilities, inputFor, payloadOf, specFor } from './support';

const MIB = 1024 * 1024;
const pools: EnvironmentPool[] = [];
afterAll(() => { for (const pool of pools) pool.dispose(); });

/** Hostile handlers that never finish by themselves; each warms up first with `{ warm: true }`. */
const HOSTILE = {
  'an endless synchronous loop': 'for (;;) {}',
  'a flood of microtasks that each compute a little': 'await new Promise(() => { const spin = () => { for (let i = 0; i < 1e4; i++); Promise.resolve().then(spin); }; spin(); });',
  'a tight loop around a built-in': 'const text = "x".repeat(1e4); for (;;) text.indexOf("y");',
};

function hostileSpec(body: string) {
  const source = `exports.handler = async (event) => { if (event.warm) return 'warm'; ${body} };`;
  return specFor({ 'index.js': source }, { timeoutMs: 1500 });
}

/**
 * Starts the hostile invocation first (its guest is running, paused or not, when invoke returns),
 * then a healthy one, and answers which finished first and both reports.
 */
async function race(pool: EnvironmentPool, body: string): Promise<{ order: string[]; hostile: InvocationReport; healthy: InvocationReport }> {
  const hostileFn = hostileSpec(body);
  const healthyFn = specFor({ 'index.js': echo });
  // Both warm, so that neither waits for a cold start.
  expect(payloadOf(await pool.invoke(hostileFn, inputFor({ warm: true }), capabilities()))).toBe('warm');
  payloadOf(await pool.invoke(healthyFn, inputFor({ warm: true }), capabilities()));
  const order: string[] = [];
  const hostile = pool.invoke(hostileFn, inputFor({}), capabilities()).then((report) => { order.push('hostile'); return report; });
  const healthy = pool.invoke(healthyFn, inputFor({ ping: true }), capabilities()).then((report) => { order.push('healthy'); return report; });
  return { order, hostile: await hostile, healthy: await healthy };
}

describe('fair CPU between tenants', () => {
  const pool = new EnvironmentPool({ budgetBytes: 256 * MIB });
  pools.push(pool);
  for (const [name, body] of Object.entries(HOSTILE)) {
    it(`finishes a healthy invocation started while ${name} runs before it`, async () => {
      const { order, hostile, healthy } = await race(pool, body);
      expect(order).toEqual(['healthy', 'hostile']);
      expect(payloadOf(healthy)).toMatchObject({ event: { ping: true } });
      expect(hostile.result).toMatchObject({ kind: 'failure', reason: 'timeout' });
      expect(hostile.timedOutBy).toBe('deadline');
    });
  }
});

describe('with pauses off (no JSPI)', () => {
  it('runs an endless synchronous loop to its end before anything else', async () => {
    const pool = new EnvironmentPool({ budgetBytes: 256 * MIB, pauseGuests: false });
    pools.push(pool);
    const { order, hostile } = await race(pool, HOSTILE['an endless synchronous loop']);
    expect(order).toEqual(['hostile', 'healthy']);
    expect(hostile.timedOutBy).toBe('deadline');
  });
});
