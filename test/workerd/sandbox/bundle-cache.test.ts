// The isolate's cache of decoded code bundles is bounded by bytes, not by count.
import { env } from 'cloudflare:test';
import { zipSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { BUNDLE_CACHE_MAX_BYTES, bundleCacheStats, loadSourceFiles } from '../../../src/code/bundle';

const MIB = 1024 * 1024;

/** A zip of a few hundred KB that decodes to `sourceMib` MiB of JavaScript. */
async function putBundle(key: string, sourceMib: number): Promise<void> {
  const source = `// ${'x'.repeat(sourceMib * MIB)}\nexports.handler = async () => 1;\n`;
  await env.CODE.put(key, zipSync({ 'index.js': strToU8(source) }));
}

describe('bundle cache', () => {
  it('stays under its byte bound after several large bundles, and never keeps one larger than it', async () => {
    for (let i = 0; i < 6; i++) {
      const key = `code/123456789012/big-${i}/${i}.zip`;
      await putBundle(key, 5); // 10 MiB decoded (UTF-16) each: six would be 60 MiB
      const files = await loadSourceFiles(env.CODE, key);
      expect(files['index.js'].length).toBeGreaterThan(5 * MIB);
      expect(bundleCacheStats().bytes).toBeLessThanOrEqual(BUNDLE_CACHE_MAX_BYTES);
    }
    expect(bundleCacheStats().bundles).toBeGreaterThan(0);
    const hugeKey = 'code/123456789012/huge/h.zip';
    await putBundle(hugeKey, 20);
    const before = bundleCacheStats();
    expect((await loadSourceFiles(env.CODE, hugeKey))['index.js'].length).toBeGreaterThan(20 * MIB);
    expect(bundleCacheStats()).toEqual(before);
  });
});
