// Console load benchmark: time from navigation to a usable functions list (signed in, the first
// function's link visible) in Debian's Chromium against wrangler dev, beside a static file served
// by the same Worker, alternated run by run, each in a fresh browser context (empty cache, as a
// first visit). Also "Try it now": a fresh visitor's click on the landing page until hello-world's
// Test tab is ready (challenge, proof of work at the default cost, a new sandbox, the function and
// its saved test event). And prints the console's initial JavaScript and CSS, gzipped.
// Usage: node bench/console.mjs [runs]
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { LambdaClient, CreateFunctionCommand } from '@aws-sdk/client-lambda';
import { zipSync, strToU8 } from 'fflate';
import { summarize, printTable } from './stats.mjs';
import { startWrangler, stopWrangler } from '../scripts/wrangler-dev.mjs';
import { CHROMIUM } from '../scripts/test-prerequisites.mjs';

const RUNS = Number(process.argv[2] ?? 15);
const PORT = 8796;
const ORIGIN = `http://127.0.0.1:${PORT}`;

const state = mkdtempSync(join(tmpdir(), 'faasbox-bench-console-'));
const credentials = { accessKeyId: 'AKIABENCHCONSOLE0000', secretAccessKey: 'bench-console-secret' };
// The playground's per-address limits raised: every "Try it now" run creates a sandbox from 127.0.0.1.
const playgroundLimits = ['FAASBOX_PLAYGROUND_LIVE_PER_ADDRESS:1000', 'FAASBOX_PLAYGROUND_DAILY_PER_ADDRESS:1000', 'FAASBOX_PLAYGROUND_BURST_PER_ADDRESS:1000'].flatMap((v) => ['--var', v]);
const server = await startWrangler([...playgroundLimits, '--persist-to', state, '--var', `FAASBOX_ACCESS_KEY_ID:${credentials.accessKeyId}`, '--var', `FAASBOX_SECRET_ACCESS_KEY:${credentials.secretAccessKey}`, '--var', 'FAASBOX_ENCRYPTION_KEY:ZmFhc2JveCBjb25zb2xlIGJlbmNoIHJvb3Qga2V5ISE='], PORT);
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
try {
  const lambda = new LambdaClient({ endpoint: ORIGIN, region: 'us-east-1', credentials, maxAttempts: 1 });
  const zip = zipSync({ 'index.js': strToU8('exports.handler = async () => ({ ok: true });') });
  for (let i = 0; i < 20; i++) {
    await lambda.send(new CreateFunctionCommand({ FunctionName: `bench-${i}`, Runtime: 'nodejs22.x', Role: 'arn:aws:iam::123456789012:role/bench', Handler: 'index.handler', Code: { ZipFile: zip } }));
  }
  lambda.destroy();

  /** Milliseconds from navigation start until `ready` resolves, in a fresh context. */
  const timed = async (path, ready, signedIn = false) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    if (signedIn) {
      await context.addInitScript((keys) => sessionStorage.setItem('faasbox.credentials', JSON.stringify(keys)), { ...credentials, accountId: '123456789012' });
    }
    const page = await context.newPage();
    const start = performance.now();
    await page.goto(`${ORIGIN}${path}`);
    await ready(page);
    const ms = performance.now() - start;
    await context.close();
    return ms;
  };
  const consoleList = () => timed('/console/functions', (page) => page.getByRole('link', { name: 'bench-0', exact: true }).waitFor(), true);
  const staticFile = () => timed('/favicon.svg', (page) => page.waitForLoadState('load'));

  for (let i = 0; i < 3; i++) { await consoleList(); await staticFile(); }
  const consoleMs = [];
  const staticMs = [];
  for (let i = 0; i < RUNS; i++) {
    consoleMs.push(await consoleList());
    staticMs.push(await staticFile());
  }
  printTable('Console load in Chromium (fresh context each run, wrangler dev on 127.0.0.1, 20 functions)', [
    ['console: navigation to a usable functions list', summarize(consoleMs)],
    ['static file from the same Worker', summarize(staticMs)],
  ]);

  /** Milliseconds from the click on Try it now until hello-world's Test tab shows its event, in a fresh context. */
  const tryItNow = async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    await page.goto(`${ORIGIN}/`);
    const button = page.getByRole('button', { name: 'Try it now' });
    await button.waitFor();
    const start = performance.now();
    await button.click();
    await page.getByRole('heading', { name: 'Test event' }).waitFor({ timeout: 60_000 });
    await page.waitForFunction(() => document.querySelector('textarea.test-json')?.value.includes('key1'));
    const ms = performance.now() - start;
    await context.close();
    return ms;
  };
  await tryItNow();
  const tryMs = [];
  for (let i = 0; i < Math.min(RUNS, 10); i++) tryMs.push(await tryItNow());
  printTable('Try it now in Chromium (fresh context each run, default proof-of-work cost)', [
    ['click on Try it now -> Test tab ready', summarize(tryMs)],
  ]);

  // What a first visit downloads before the list renders: the entry script, its static imports and the CSS.
  const assets = join('dist', 'console', 'console-assets');
  const shell = readFileSync(join('dist', 'console', 'index.html'), 'utf8');
  const entry = /src="\/console-assets\/([^"]+)"/.exec(shell)[1];
  const css = /href="\/console-assets\/([^"]+\.css)"/.exec(shell)?.[1];
  const gz = (file) => gzipSync(readFileSync(join(assets, file))).length;
  const chunks = readdirSync(join(assets, 'chunks')).filter((f) => f.endsWith('.js'));
  const staticImports = [...readFileSync(join(assets, entry), 'utf8').matchAll(/from"\.\/chunks\/([^"]+)"/g)].map((m) => m[1]);
  const initial = gz(entry) + staticImports.reduce((sum, f) => sum + gz(join('chunks', f)), 0);
  const lazy = chunks.filter((f) => !staticImports.includes(f)).map((f) => [f, gz(join('chunks', f)), statSync(join(assets, 'chunks', f)).size]);
  console.log('\nConsole bundle (gzipped)');
  console.log(`  initial JavaScript (entry + static chunks)       ${(initial / 1024).toFixed(1).padStart(7)} KiB  (budget 150 KiB)`);
  if (css) console.log(`  CSS                                              ${(gz(css) / 1024).toFixed(1).padStart(7)} KiB`);
  for (const [file, gzipped, raw] of lazy.sort((a, b) => b[1] - a[1])) {
    console.log(`  lazy ${file.padEnd(44)}${(gzipped / 1024).toFixed(1).padStart(7)} KiB  (${(raw / 1024).toFixed(0)} KiB raw)`);
  }
} finally {
  await browser.close();
  await stopWrangler(server);
  rmSync(state, { recursive: true, force: true });
}
