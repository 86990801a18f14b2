// The guest's crypto.subtle: SHA-256 digests and HMAC-SHA-256 agree with workerd's own Web Crypto
// at every padding boundary and key size; other algorithms reject with NotSupportedError. Also
// the pool's cold-start variables and its maximum environment age.
import { afterAll, describe, expect, it } from 'vitest';
import { EnvironmentPool } from '../../../sandbox';
import { capabilities, inputFor, payloadOf, specFor } from './support';

const pool = new EnvironmentPool({ budgetBytes: 512 * 1024 * 1024 });
afterAll(() => pool.dispose());

/** Message lengths around SHA-256's 64-byte blocks and its 55/56-byte padding edge. */
const LENGTHS = [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000, 70_000];
/** HMAC key lengths: short, exactly a block, longer than a block (hashed first). */
const KEY_LENGTHS = [0, 20, 64, 65, 200];

const hex = (buffer: ArrayBuffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
const bytes = (length: number, seed: number) => Uint8Array.from({ length }, (_, i) => (i * 31 + seed) & 0xff);

const GUEST = `exports.handler = async ({ lengths, keyLengths }) => {
  const hex = (buffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
  const bytes = (length, seed) => Uint8Array.from({ length }, (_, i) => (i * 31 + seed) & 0xff);
  const digests = [];
  for (const length of lengths) digests.push(hex(await crypto.subtle.digest('SHA-256', bytes(length, 7))));
  const macs = [];
  for (const keyLength of keyLengths) {
    const key = await crypto.subtle.importKey('raw', bytes(keyLength, 3), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    const mac = await crypto.subtle.sign('HMAC', key, bytes(100, 5).buffer);
    macs.push({ mac: hex(mac), verified: await crypto.subtle.verify('HMAC', key, mac, bytes(100, 5)), forged: await crypto.subtle.verify('HMAC', key, new Uint8Array(32), bytes(100, 5)) });
  }
  const refusal = await crypto.subtle.digest('SHA-1', new Uint8Array(1)).then(() => 'resolved', (e) => e.name);
  return { digests, macs, refusal };
};`;

describe('crypto.subtle in the guest', () => {
  it("computes SHA-256 and HMAC-SHA-256 as workerd's Web Crypto does", async () => {
    const report = await pool.invoke(specFor({ 'index.js': GUEST }), inputFor({ lengths: LENGTHS, keyLengths: KEY_LENGTHS }), capabilities());
    const seen = payloadOf(report) as { digests: string[]; macs: { mac: string; verified: boolean; forged: boolean }[]; refusal: string };
    for (const [index, length] of LENGTHS.entries()) {
      expect(seen.digests[index], `${length} bytes`).toBe(hex(await crypto.subtle.digest('SHA-256', bytes(length, 7))));
    }
    for (const [index, keyLength] of KEY_LENGTHS.entries()) {
      // Web Crypto refuses an empty HMAC key; the empty key's MAC is checked against its definition (a block of zeros).
      const keyBytes = keyLength === 0 ? new Uint8Array(64) : bytes(keyLength, 3);
      const key = await crypto.subtle.importKey('raw', keyBytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
      expect(seen.macs[index], `${keyLength}-byte key`).toEqual({ mac: hex(await crypto.subtle.sign('HMAC', key, bytes(100, 5))), verified: true, forged: false });
    }
    expect(seen.refusal).toBe('NotSupportedError');
  });
});

describe('the pool', () => {
  it('makes cold-start variables once per new environment, never for a warm one', async () => {
    let made = 0;
    const spec = specFor({ 'index.js': 'exports.handler = async () => process.env.MADE;' }, { coldStartVariables: async () => ({ MADE: String(++made) }) });
    expect(payloadOf(await pool.invoke(spec, inputFor(), capabilities()))).toBe('1');
    expect(payloadOf(await pool.invoke(spec, inputFor(), capabilities()))).toBe('1');
    expect(made).toBe(1);
  });

  it('retires an environment past its maximum age instead of lending it again', async () => {
    let nowMs = 1_000_000;
    const aging = new EnvironmentPool({ budgetBytes: 512 * 1024 * 1024, maxEnvironmentAgeMs: 60_000, clock: () => nowMs });
    try {
      let made = 0;
      const spec = specFor({ 'index.js': 'exports.handler = async () => process.env.MADE;' }, { coldStartVariables: async () => ({ MADE: String(++made) }) });
      expect(payloadOf(await aging.invoke(spec, inputFor(), capabilities()))).toBe('1');
      nowMs += 59_000;
      expect(payloadOf(await aging.invoke(spec, inputFor(), capabilities()))).toBe('1');
      nowMs += 1_000;
      expect(payloadOf(await aging.invoke(spec, inputFor(), capabilities()))).toBe('2');
    } finally {
      aging.dispose();
    }
  });
});
