// CORS origin matching: AllowOrigins wildcards match as the regular expression they used to be
// turned into did, and an Origin built to make that expression backtrack is answered at once.
import { describe, expect, it } from 'vitest';
import { originMatches } from '../../../src/function-urls/cors';
import { createTenant, deploy } from '../support/signed-client';
import { createUrl, urlFetch } from '../support/url-client';

/** The matcher as it was: each `*` became `[^/]*` in an anchored, case-insensitive expression. */
function regexMatches(pattern: string, origin: string): boolean {
  const source = pattern.toLowerCase().split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*');
  return new RegExp(`^${source}$`).test(origin.toLowerCase());
}

/** A small seeded generator (mulberry32), so a failing case can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('AllowOrigins wildcards', () => {
  const CASES: [string, string, boolean][] = [
    ['https://app.example', 'https://app.example', true],
    ['https://app.example', 'https://APP.example', true],
    ['https://app.example', 'https://app.example.evil', false],
    ['https://*.example.com', 'https://a.example.com', true],
    ['https://*.example.com', 'https://a.b.example.com', true],
    ['https://*.example.com', 'https://.example.com', true],
    ['https://*.example.com', 'https://example.com', false],
    ['https://*.example.com', 'https://evil.com/.example.com', false],
    ['https://*.example.com', 'http://a.example.com', false],
    ['https://*', 'https://anything:8443', true],
    ['https://*', 'https://a/b', false],
    ['*://app.example', 'https://app.example', true],
    ['http://localhost:*', 'http://localhost:3000', true],
    ['http://localhost:*', 'http://localhost', false],
    ['https://a*b*c', 'https://abc', true],
    ['https://a*b*c', 'https://axxbyyc', true],
    ['https://a*b*c', 'https://acb', false],
    ['https://a*a', 'https://a', false],
    ['https://**', 'https://x', true],
    ['https://app.(example)', 'https://app.(example)', true],
    ['https://app.example', 'https://appxexample', false],
  ];

  it.each(CASES)('%s against %s is %s, as the old expression said', (pattern, origin, expected) => {
    expect(regexMatches(pattern, origin)).toBe(expected);
    expect(originMatches(pattern, origin)).toBe(expected);
  });

  it('agrees with the old expression on generated patterns and origins', () => {
    const next = random(16);
    const pick = (alphabet: string, length: number) => Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
    for (let i = 0; i < 5000; i++) {
      const pattern = pick('ab*/.', 1 + Math.floor(next() * 8));
      const origin = pick('ab/.', Math.floor(next() * 10));
      expect(originMatches(pattern, origin), `${pattern} against ${origin}`).toBe(regexMatches(pattern, origin));
    }
  });

  it('answers a preflight whose Origin would make a backtracking matcher run for years', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'web', 'exports.handler = async () => ({ statusCode: 200, body: "ok" });');
    // 40 wildcards, each before an "a": against 200 a's and no final ".x", a backtracking
    // matcher tries every way of sharing the a's between the wildcards.
    const pattern = `https://${'*a'.repeat(40)}*.x`;
    const { urlId } = await createUrl(tenant, 'web', { AuthType: 'NONE', Cors: { AllowOrigins: [pattern, 'https://app.example'], AllowMethods: ['GET'] } });
    const preflight = (origin: string) => urlFetch(urlId, '/', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'GET' } });
    const hostile = await preflight(`https://${'a'.repeat(200)}!`);
    expect(hostile.status).toBe(200);
    expect(hostile.headers.get('access-control-allow-origin')).toBeNull();
    const matching = `https://${'a'.repeat(200)}.x`;
    expect((await preflight(matching)).headers.get('access-control-allow-origin')).toBe(matching);
  });
});
