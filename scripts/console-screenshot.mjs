// Regenerates docs/console-function-page.png, the README's picture of the console: a function's
// page after a Test (result, summary, cost, log dock), in Debian's Chromium against a wrangler dev
// of its own with a fresh state. Usage: npm run screenshot:console
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { LambdaClient, CreateFunctionCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { zipSync, strToU8 } from 'fflate';
import { startWrangler, stopWrangler } from './wrangler-dev.mjs';
import { CHROMIUM } from './test-prerequisites.mjs';

const PORT = 8795;
const ORIGIN = `http://127.0.0.1:${PORT}`;
const OUTPUT = join('docs', 'console-function-page.png');
const keys = { accessKeyId: 'AKIASCREENSHOT000000', secretAccessKey: 'screenshot-secret' };
const HANDLER = `exports.handler = async (event, context) => {
  console.log('Hello from faasbox, event.key1 =', event.key1);
  return { statusCode: 200, body: JSON.stringify({ message: 'Hello, ' + event.key1, requestId: context.awsRequestId }) };
};`;

const state = mkdtempSync(join(tmpdir(), 'faasbox-screenshot-'));
const server = await startWrangler(['--persist-to', state, '--var', `FAASBOX_ACCESS_KEY_ID:${keys.accessKeyId}`, '--var', `FAASBOX_SECRET_ACCESS_KEY:${keys.secretAccessKey}`,
  '--var', `FAASBOX_ENCRYPTION_KEY:${Buffer.from('faasbox docs screenshot root key').toString('base64')}`], PORT);
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
try {
  const lambda = new LambdaClient({ endpoint: ORIGIN, region: 'us-east-1', credentials: keys, maxAttempts: 1 });
  await lambda.send(new CreateFunctionCommand({ FunctionName: 'hello-world', Runtime: 'nodejs22.x', Role: 'arn:aws:iam::123456789012:role/lambda-basic', Handler: 'index.handler', Code: { ZipFile: zipSync({ 'index.js': strToU8(HANDLER) }) }, Description: 'The hello-world blueprint' }));
  for (let i = 0; i < 5; i++) await lambda.send(new InvokeCommand({ FunctionName: 'hello-world', Payload: strToU8(JSON.stringify({ key1: `call ${i}` })) }));
  lambda.destroy();

  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, colorScheme: 'light' });
  await context.addInitScript((credentials) => sessionStorage.setItem('faasbox.credentials', JSON.stringify(credentials)), { ...keys, accountId: '123456789012' });
  const page = await context.newPage();
  await page.goto(`${ORIGIN}/console/functions/hello-world/test`);
  await page.getByRole('button', { name: 'Test', exact: true }).click();
  await page.locator('section.test-result').getByText('Cost of this invocation').waitFor();
  // The usage record (cost) is written just after the response.
  await page.locator('section.test-result table').first().waitFor({ timeout: 15_000 }).catch(() => undefined);
  await page.waitForTimeout(500);
  await page.screenshot({ path: OUTPUT, fullPage: false });
  console.log(`wrote ${OUTPUT}`);
} finally {
  await browser.close();
  await stopWrangler(server);
  rmSync(state, { recursive: true, force: true });
}
