import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startWrangler, stopWrangler } from './scripts/wrangler-dev.mjs';
const PORT = 8941;
const state = mkdtempSync(join(tmpdir(), 'pgc-'));
const server = await startWrangler(['--persist-to', state, '--var', 'FAASBOX_ACCESS_KEY_ID:AKIAXX', '--var', 'FAASBOX_SECRET_ACCESS_KEY:x', '--var', 'FAASBOX_ENCRYPTION_KEY:ZmFhc2JveCBjb25zb2xlIGJlbmNoIHJvb3Qga2V5ISE='], PORT);
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  const page = await b.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript(() => document.addEventListener('securitypolicyviolation', (e) => console.error('CSP ' + e.violatedDirective + ' ' + e.blockedURI)));
  await page.goto(`http://127.0.0.1:${PORT}/`);
  await page.getByRole('button', { name: 'Try it now' }).waitFor();
  const worker = readdirSync('dist/console/console-assets').find((f) => f.startsWith('pow-worker') && f.endsWith('.js'));
  const result = await page.evaluate(async (path) => {
    const policy = window.trustedTypes.createPolicy('check', { createScriptURL: (u) => u });
    const w = new Worker(policy.createScriptURL(path), { type: 'module' });
    const hex = (n) => [...crypto.getRandomValues(new Uint8Array(n))].map((x) => x.toString(16).padStart(2, '0')).join('');
    const challenge = { parameters: { algorithm: 'SHA-256', nonce: hex(16), salt: hex(16), cost: 1, keyLength: 32, keyPrefix: '000' } };
    return await new Promise((resolve) => { const seen = []; w.onmessage = (e) => { seen.push(e.data.kind); if (e.data.kind !== 'progress') resolve({ last: e.data, seen: seen.length }); }; w.onerror = (e) => resolve({ error: String(e.message) }); w.postMessage({ challenge }); });
  }, `/console-assets/${worker}`);
  console.log(JSON.stringify(result));
  await page.getByRole('button', { name: 'Try it now' }).click();
  await page.waitForTimeout(1500);
  console.log(await page.locator('.try-it-now').textContent());
  await page.screenshot({ path: '/tmp/pgc-landing.png' });
  console.log('errors', errors);
} finally {
  await b.close();
  await stopWrangler(server);
}
