// Node's Buffer in the guest (the npm `buffer` package, a lazy runtime part): the global, the
// `buffer`/`node:buffer` built-in through require and import, and its precedence over node_modules.
import { afterAll, describe, expect, it } from 'vitest';
import { EnvironmentPool } from '../../../sandbox';
import { capabilities, inputFor, payloadOf, specFor } from './support';

const pool = new EnvironmentPool({ budgetBytes: 512 * 1024 * 1024 });
afterAll(() => pool.dispose());

async function invoke(files: Record<string, string>, event: unknown = {}) {
  return pool.invoke(specFor(files), inputFor(event), capabilities());
}

describe('Buffer', () => {
  it('round-trips base64, utf8 and hex, concatenates, and is a Uint8Array', async () => {
    const report = await invoke(
      {
        'index.js': `exports.handler = async (event) => {
          const body = Buffer.from(event.body, 'base64');
          const joined = Buffer.concat([Buffer.from('hé', 'utf8'), Buffer.from('0aff', 'hex')]);
          return {
            text: body.toString('utf8'),
            back: body.toString('base64'),
            hex: Buffer.from('hi!').toString('hex'),
            fromHex: Buffer.from('686921', 'hex').toString(),
            joined: Array.from(joined),
            joinedBase64: joined.toString('base64'),
            isBuffer: [Buffer.isBuffer(joined), Buffer.isBuffer(new Uint8Array(1)), Buffer.isBuffer('x')],
            byteLength: [Buffer.byteLength('hé'), Buffer.byteLength('aGk=', 'base64'), joined.length],
            uint8: joined instanceof Uint8Array,
            json: JSON.stringify(Buffer.from([1, 2])),
            equals: Buffer.from('abc').equals(Buffer.from('YWJj', 'base64')),
            readUInt32BE: Buffer.from('01020304', 'hex').readUInt32BE(0),
          };
        };`,
      },
      { body: Buffer.from('héllo, wörld').toString('base64') },
    );
    expect(payloadOf(report)).toEqual({
      text: 'héllo, wörld',
      back: Buffer.from('héllo, wörld').toString('base64'),
      hex: '686921',
      fromHex: 'hi!',
      joined: [104, 195, 169, 10, 255],
      joinedBase64: 'aMOpCv8=',
      isBuffer: [true, false, false],
      byteLength: [3, 2, 5],
      uint8: true,
      json: '{"type":"Buffer","data":[1,2]}',
      equals: true,
      readUInt32BE: 0x01020304,
    });
  });

  it("is require('buffer') and require('node:buffer'), ahead of a node_modules/buffer", async () => {
    const report = await invoke({
      'index.js': `
        const buffer = require('buffer');
        const nodeBuffer = require('node:buffer');
        exports.handler = async () => ({
          same: buffer.Buffer === Buffer && nodeBuffer === buffer,
          kMaxLength: typeof buffer.kMaxLength,
          resolved: [require.resolve('buffer'), require.resolve('node:buffer')],
          shadowed: require('./lib').fromNodeModules,
        });`,
      'lib.js': `exports.fromNodeModules = require('buffer').fake === true;`,
      'node_modules/buffer/index.js': `exports.fake = true;`,
    });
    expect(payloadOf(report)).toEqual({ same: true, kMaxLength: 'number', resolved: ['buffer', 'node:buffer'], shadowed: false });
  });

  it("is imported from 'node:buffer' and 'buffer' in ESM, named and default", async () => {
    const report = await invoke({
      'index.mjs': `
        import { Buffer as NodeBuffer, kMaxLength } from 'node:buffer';
        import buffer, { Buffer as BareBuffer } from 'buffer';
        export const handler = async () => ({
          same: NodeBuffer === Buffer && BareBuffer === Buffer && buffer.Buffer === Buffer,
          kMaxLength: kMaxLength === buffer.kMaxLength,
          decoded: NodeBuffer.from('aGVsbG8=', 'base64').toString(),
        });`,
    });
    expect(payloadOf(report)).toEqual({ same: true, kMaxLength: true, decoded: 'hello' });
  });

  it('is not loaded by a function that never touches it', async () => {
    // The global stays the lazy part's accessor until first read.
    const report = await invoke({
      'index.js': `exports.handler = async () => {
        const lazy = typeof Object.getOwnPropertyDescriptor(globalThis, 'Buffer').get === 'function';
        const used = typeof Buffer.from;
        return { lazy, afterUse: Object.getOwnPropertyDescriptor(globalThis, 'Buffer').get === undefined, used };
      };`,
    });
    expect(payloadOf(report)).toEqual({ lazy: true, afterUse: true, used: 'function' });
  });

  it('still reports other Node built-ins as missing modules', async () => {
    const report = await invoke({ 'index.js': `exports.handler = async () => { try { require('node:fs'); } catch (e) { return e.code; } };` });
    expect(payloadOf(report)).toBe('MODULE_NOT_FOUND');
  });
});
