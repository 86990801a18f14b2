// Which zips CreateFunction and UpdateFunctionCode accept: only stored and deflated entries that
// decompress to their declared sizes; anything else is refused up front with Lambda's answer,
// never deployed to fail with 500 on every invoke.
import { describe, expect, it } from 'vitest';
import { zipSync, strToU8 } from 'fflate';
import { createTenant, type Tenant } from '../support/signed-client';
import { ROLE } from '../support/zip';

const HANDLER = 'exports.handler = async () => "ran";';
const UNZIP_FAILED = 'Could not unzip uploaded file. Please check your file, then try to upload again.';

/** A one-entry zip of index.js (deflated, or stored with `level: 0`) and where its headers are. */
function oneEntryZip(level: 0 | 6 = 6, source = HANDLER) {
  const zip = zipSync({ 'index.js': [strToU8(source), { level }] });
  const central = findSignature(zip, [0x50, 0x4b, 0x01, 0x02]);
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const dataStart = 30 + view.getUint16(26, true) + view.getUint16(28, true);
  return { zip, view, central, dataStart, compressedBytes: view.getUint32(central + 20, true) };
}

function findSignature(bytes: Uint8Array, signature: number[]): number {
  for (let i = bytes.length - 4; i >= 0; i--) if (signature.every((b, j) => bytes[i + j] === b)) return i;
  throw new Error('signature not found');
}

/** Sets the compression method in both the local and the central header. */
function withMethod(method: number) {
  const { zip, view, central } = oneEntryZip();
  view.setUint16(8, method, true);
  view.setUint16(central + 10, method, true);
  return zip;
}

function base64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

const BAD_ZIPS: [string, () => Uint8Array][] = [
  ['a bzip2 entry', () => withMethod(12)],
  ['an LZMA entry', () => withMethod(14)],
  ['a garbage deflate stream', () => {
    const { zip, dataStart, compressedBytes } = oneEntryZip();
    zip.fill(0xff, dataStart, dataStart + compressedBytes); // BTYPE 11: not a deflate block
    return zip;
  }],
  ['a truncated deflate stream', () => {
    const { zip, view, central, compressedBytes } = oneEntryZip(6, HANDLER.repeat(20));
    view.setUint32(central + 20, Math.floor(compressedBytes / 2), true);
    return zip;
  }],
  ['a deflated entry larger than declared', () => {
    const { zip, view, central } = oneEntryZip();
    view.setUint32(central + 24, HANDLER.length - 5, true);
    return zip;
  }],
  ['a deflated entry smaller than declared', () => {
    const { zip, view, central } = oneEntryZip();
    view.setUint32(central + 24, HANDLER.length + 5, true);
    return zip;
  }],
  ['a stored entry whose size differs from its data', () => {
    const { zip, view, central } = oneEntryZip(0);
    view.setUint32(central + 24, HANDLER.length + 1, true);
    return zip;
  }],
  ['an entry marked encrypted', () => {
    const { zip, view, central } = oneEntryZip();
    view.setUint16(6, 1, true);
    view.setUint16(central + 8, 1, true);
    return zip;
  }],
  ['an entry whose data runs past the end of the file', () => {
    const { zip, view, central } = oneEntryZip(0);
    view.setUint32(central + 20, zip.length, true);
    view.setUint32(central + 24, zip.length, true);
    return zip;
  }],
];

async function functionNames(tenant: Tenant): Promise<string[]> {
  const listed = (await (await tenant.send('GET', '/2015-03-31/functions')).json()) as { Functions: { FunctionName: string }[] };
  return listed.Functions.map((f) => f.FunctionName);
}

async function createFunction(tenant: Tenant, name: string, zip: Uint8Array) {
  return tenant.send('POST', '/2015-03-31/functions', {
    FunctionName: name, Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: base64(zip) },
  });
}

async function expectUnzipFailed(response: Response) {
  expect(response.status).toBe(400);
  expect(response.headers.get('x-amzn-errortype')).toBe('InvalidParameterValueException');
  expect(await response.json()).toEqual({ Type: 'User', message: UNZIP_FAILED });
}

describe('zip acceptance', () => {
  it('accepts stored and deflated entries, which then run', async () => {
    const tenant = await createTenant();
    for (const [name, level] of [['stored', 0], ['deflated', 6]] as const) {
      expect((await createFunction(tenant, name, oneEntryZip(level).zip)).status).toBe(201);
      const invoked = await tenant.send('POST', `/2015-03-31/functions/${name}/invocations`, {});
      expect(invoked.status).toBe(200);
      expect(await invoked.json()).toBe('ran');
    }
  });

  it.each(BAD_ZIPS)('CreateFunction refuses %s and creates nothing', async (_what, build) => {
    const tenant = await createTenant();
    await expectUnzipFailed(await createFunction(tenant, 'bad', build()));
    expect(await functionNames(tenant)).toEqual([]);
  });

  it.each(BAD_ZIPS)('UpdateFunctionCode refuses %s and keeps the code that runs', async (_what, build) => {
    const tenant = await createTenant();
    const created = (await (await createFunction(tenant, 'fn', oneEntryZip().zip)).json()) as { CodeSha256: string };
    await expectUnzipFailed(await tenant.send('PUT', '/2015-03-31/functions/fn/code', { ZipFile: base64(build()) }));
    const config = (await (await tenant.send('GET', '/2015-03-31/functions/fn/configuration')).json()) as { CodeSha256: string };
    expect(config.CodeSha256).toBe(created.CodeSha256);
    expect(await (await tenant.send('POST', '/2015-03-31/functions/fn/invocations', {})).json()).toBe('ran');
  });

  it('refuses an entry that is not source code too: nothing in the zip may be unreadable', async () => {
    const tenant = await createTenant();
    const zip = zipSync({ 'index.js': strToU8(HANDLER), 'README.txt': strToU8('read me '.repeat(50)) });
    const central = findSignature(zip, [0x50, 0x4b, 0x01, 0x02]); // the last entry: README.txt
    const view = new DataView(zip.buffer);
    const local = view.getUint32(central + 42, true);
    view.setUint16(local + 8, 12, true);
    view.setUint16(central + 10, 12, true);
    await expectUnzipFailed(await createFunction(tenant, 'docs', zip));
  });
});
