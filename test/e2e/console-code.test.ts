// The console's Code tab in Chromium against `wrangler dev`: the deployed bundle's files and the
// handler's file, edit and Deploy (Ctrl+S) checked by an SDK Invoke, a second file the handler
// requires, rename and delete, syntax errors marked before Deploy, the sandbox's init errors
// marked at their line after the tab's Test, upload and download of the zip, the read-only view
// above 3 MB, the lazily loaded editor under the strict CSP, axe, and light and dark screenshots.
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { CreateFunctionCommand, GetFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { strFromU8, unzipSync, zipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { useDevServer } from './support/harness';
import { useConsoleBrowser } from './support/console-browser';
import { ROLE, zipOf } from './support/bundles';

/** Polls until the page shows it: the editor's chunk and the zip load on a busy machine. */
const until = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });

const server = useDevServer({ shared: true });
const browser = useConsoleBrowser(server, { shared: true });
let lambda: LambdaClient;

async function create(name: string, files: Record<string, string> | Uint8Array, handler = 'index.handler'): Promise<void> {
  const ZipFile = files instanceof Uint8Array ? files : zipOf(files);
  await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs22.x', Role: ROLE, Handler: handler, Code: { ZipFile } }));
}

async function invoke(name: string): Promise<unknown> {
  const output = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: new TextEncoder().encode('{"who":"world"}') }));
  return JSON.parse(new TextDecoder().decode(output.Payload));
}

/** The deployed zip as the SDK sees it: GetFunction's Code.Location, fetched by Node. */
async function deployedZip(name: string): Promise<Uint8Array> {
  const location = (await lambda.send(new GetFunctionCommand({ FunctionName: name }))).Code!.Location!;
  return new Uint8Array(await (await fetch(location)).arrayBuffer());
}

async function deployedFiles(name: string): Promise<Record<string, string>> {
  return Object.fromEntries(Object.entries(unzipSync(await deployedZip(name))).map(([path, bytes]) => [path, strFromU8(bytes)]));
}

async function openCode(name: string, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const page = await browser.page({ colorScheme });
  await browser.open(page, `/console/functions/${name}/code`);
  await until(() => page.locator('.cm-content[contenteditable]').count()).toBe(1);
  await until(() => page.locator('.code-file').count()).toBeGreaterThan(0);
  return page;
}

/** A file's button in the tree, by its full path (its hidden label: the path, and whether it is unsaved). */
const fileButton = (page: Page, path: string) =>
  page.locator('.code-file').filter({ has: page.locator('.visually-hidden', { hasText: new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\(unsaved changes\\))?$`) }) });
const editorText = async (page: Page) => (await page.locator('.cm-line').allTextContents()).join('\n');

/** Replaces the open file's text as a paste would (typing would meet auto-closed brackets). */
async function replaceText(page: Page, text: string): Promise<void> {
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+a');
  await page.keyboard.insertText(text);
}

async function deployed(page: Page): Promise<void> {
  await until(() => page.getByRole('status').filter({ hasText: /^Deployed \d+ file/ }).count()).toBe(1);
}

beforeAll(async () => {
  lambda = server.client(LambdaClient);
  await create('edit-me', { 'index.js': 'exports.handler = async (event) => ({ version: 1 });\n' });
  await create('lint-me', { 'index.js': 'exports.handler = async () => 1;\n' });
  await create('esm-handler', { 'index.mjs': 'export const handler = async () => "esm";\n', 'README.md': '# notes\n' });
  await create('breaks', { 'index.js': 'const lib = require("./lib");\nexports.handler = async () => lib.value;\n', 'lib.js': '// a library\nexports.value = 1;\n' });
  await create('uploads', { 'index.js': 'exports.handler = async () => "before upload";\n' });
  // Above 3 MB zipped: random bytes do not compress.
  await create('too-big', zipSync({ 'index.js': new TextEncoder().encode('exports.handler = async () => "big";\n'), 'blob.bin': new Uint8Array(randomBytes(3.2 * 1024 * 1024)) }, { level: 0 }));
});

describe('the Code tab', () => {
  it('lists the deployed files, opens the handler’s file, and loads the editor lazily without CSP violations', async () => {
    const page = await browser.page();
    const scripts: string[] = [];
    page.on('request', (request) => { if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname); });
    await browser.open(page, '/console/functions/esm-handler/test');
    await until(() => page.getByRole('heading', { name: 'esm-handler', level: 1 }).isVisible()).toBe(true);
    // The editor's chunk is fetched only when the Code tab shows.
    expect(scripts.some((path) => path.includes('code-editor'))).toBe(false);
    await page.getByRole('tab', { name: 'Code' }).click();
    await until(() => page.locator('.cm-content[contenteditable]').count()).toBe(1);
    expect(scripts.some((path) => path.includes('code-editor'))).toBe(true);
    await until(() => fileButton(page, 'index.mjs').isVisible()).toBe(true);
    await until(() => fileButton(page, 'README.md').isVisible()).toBe(true);
    // Handler index.handler is in index.mjs: that file opens first, with its badge.
    await until(() => editorText(page)).toContain('export const handler = async () => "esm";');
    expect(await fileButton(page, 'index.mjs').locator('.code-badge').textContent()).toBe('handler');
    await until(() => page.getByText(/^2 files, \d+ B in the editor$/).isVisible()).toBe(true);
    expect(await page.getByRole('textbox', { name: 'Code of index.mjs' }).count()).toBe(1);
    browser.expectClean(page);
  });

  it('keeps an edit across tabs, deploys it with Ctrl+S, clears the unsaved marker, and the SDK invokes the new code', async () => {
    const page = await openCode('edit-me');
    await until(() => editorText(page)).toContain('version: 1');
    expect(await page.locator('.code-unsaved').count()).toBe(0);
    await replaceText(page, 'exports.handler = async (event) => ({ version: 2, who: event.who });\n');
    await until(() => page.locator('.code-unsaved').isVisible()).toBe(true);
    await until(() => fileButton(page, 'index.js').getByText('(unsaved changes)').count()).toBe(1);
    await browser.screenshot(page, 'code-editor-light');
    // The edit survives a look at another tab.
    await page.getByRole('tab', { name: 'Test' }).click();
    await page.getByRole('tab', { name: 'Code' }).click();
    await until(() => editorText(page)).toContain('version: 2');
    expect(await page.locator('.code-unsaved').isVisible()).toBe(true);
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+s');
    await deployed(page);
    expect(await page.locator('.code-unsaved').count()).toBe(0);
    expect(await invoke('edit-me')).toEqual({ version: 2, who: 'world' });
    browser.expectClean(page);
  });

  it('adds a file the handler requires, then renames and deletes files, each deploy checked by the SDK', async () => {
    const page = await openCode('edit-me');
    await page.getByRole('button', { name: 'New file' }).click();
    await page.getByLabel('New file name').fill('index.js');
    await until(() => page.getByText('index.js already exists.').isVisible()).toBe(true);
    await page.getByLabel('New file name').fill('lib/greet.js');
    await page.getByRole('button', { name: 'Create' }).click();
    await until(() => page.getByRole('textbox', { name: 'Code of lib/greet.js' }).count()).toBe(1);
    await replaceText(page, 'exports.greet = (who) => `hello ${who}`;\n');
    await fileButton(page, 'index.js').click();
    await until(() => editorText(page)).toContain('version: 2');
    await replaceText(page, 'const { greet } = require("./lib/greet");\nexports.handler = async (event) => greet(event.who);\n');
    await until(() => page.locator('.code-folder', { hasText: 'lib/' }).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Deploy' }).click();
    await deployed(page);
    expect(await invoke('edit-me')).toBe('hello world');

    // Rename lib/greet.js and follow it in index.js.
    await fileButton(page, 'lib/greet.js').click();
    await page.getByRole('button', { name: 'Rename' }).click();
    await page.getByLabel('Rename lib/greet.js to').fill('lib/hello.js');
    await page.getByLabel('Rename lib/greet.js to').press('Enter');
    await until(() => fileButton(page, 'lib/hello.js').isVisible()).toBe(true);
    await until(() => page.getByText('Deleted, not deployed yet: lib/greet.js').isVisible()).toBe(true);
    await fileButton(page, 'index.js').click();
    await replaceText(page, 'const { greet } = require("./lib/hello");\nexports.handler = async (event) => greet(event.who) + "!";\n');
    // A scratch file, created and deleted again before the deploy.
    await page.getByRole('button', { name: 'New file' }).click();
    await page.getByLabel('New file name').fill('scratch.txt');
    await page.getByLabel('New file name').press('Enter');
    await until(() => fileButton(page, 'scratch.txt').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.locator('.code-file-form').getByRole('button', { name: 'Delete' }).click();
    await until(() => fileButton(page, 'scratch.txt').count()).toBe(0);
    await page.keyboard.press('Control+s');
    await deployed(page);
    expect(await invoke('edit-me')).toBe('hello world!');
    expect(Object.keys(await deployedFiles('edit-me')).sort()).toEqual(['index.js', 'lib/hello.js']);
    await browser.expectAccessible(page, 'code tab with files');
    browser.expectClean(page);
  });

  it('marks syntax errors in the editor before Deploy (JavaScript, import in CommonJS, JSON)', async () => {
    const page = await openCode('lint-me');
    await replaceText(page, 'exports.handler = async () => {\n  return 1 +;\n};\n');
    await until(() => page.locator('.cm-lintRange-error').count()).toBeGreaterThan(0);
    await until(() => page.locator('.cm-gutter-lint .cm-lint-marker-error').count()).toBe(1);
    // The diagnostic's message on hover of its gutter marker.
    await page.locator('.cm-lint-marker-error').hover();
    await until(() => page.locator('.cm-tooltip-lint').textContent()).toMatch(/Syntax error: unexpected ';'/);
    await browser.screenshot(page, 'code-syntax-error');
    // Sound code clears the mark.
    await replaceText(page, 'exports.handler = async () => 2;\n');
    await until(() => page.locator('.cm-lint-marker-error').count()).toBe(0);
    // index.js is CommonJS here (no package.json "type": "module"): import is an error.
    await replaceText(page, 'import fs from "fs";\nexports.handler = async () => 2;\n');
    await until(() => page.locator('.cm-lint-marker-error').count()).toBe(1);
    await page.locator('.cm-lint-marker-error').hover();
    await until(() => page.locator('.cm-tooltip-lint').textContent()).toMatch(/Cannot use import in a CommonJS file/);
    // JSON files are checked by JSON.parse.
    await page.getByRole('button', { name: 'New file' }).click();
    await page.getByLabel('New file name').fill('config.json');
    await page.getByRole('button', { name: 'Create' }).click();
    await replaceText(page, '{\n  "a": 1,\n}\n');
    await until(() => page.locator('.cm-lint-marker-error').count()).toBe(1);
    browser.expectClean(page);
  });

  it('shows the sandbox’s UserCodeSyntaxError and ImportModuleError at their file and line after Deploy and Test', async () => {
    const page = await openCode('breaks', 'dark');
    await fileButton(page, 'lib.js').click();
    // A syntax error the sandbox rejects, deployed on purpose.
    await replaceText(page, '// a library\n\nexports.value = { a: ( };\n');
    await page.keyboard.press('Control+s');
    await deployed(page);
    await fileButton(page, 'index.js').click();
    await page.getByRole('button', { name: 'Test' }).click();
    const banner = page.locator('.code-runtime-error');
    await until(() => banner.textContent()).toMatch(/Runtime\.UserCodeSyntaxError on the last invoke at lib\.js:3/);
    // The editor switched to lib.js and marks line 3 with the sandbox's message.
    await until(() => page.getByRole('textbox', { name: 'Code of lib.js' }).count()).toBe(1);
    await until(() => page.locator('.cm-lint-marker-error').count()).toBeGreaterThan(0);
    const markedLine = await page.locator('.cm-gutter-lint .cm-gutterElement').filter({ has: page.locator('.cm-lint-marker-error') }).boundingBox();
    const line3 = await page.locator('.cm-lineNumbers .cm-gutterElement', { hasText: /^3$/ }).boundingBox();
    expect(Math.round(markedLine!.y)).toBe(Math.round(line3!.y));
    await page.locator('.cm-lint-marker-error').hover();
    await until(() => page.locator('.cm-tooltip-lint').textContent()).toMatch(/Runtime\.UserCodeSyntaxError: SyntaxError/);
    await page.mouse.move(0, 0);
    await browser.screenshot(page, 'code-runtime-error-dark');
    await browser.expectAccessible(page, 'code tab with a runtime error, dark');
    // The same error through the SDK: what the mark reports is what an invoke answers.
    expect(await invoke('breaks')).toMatchObject({ errorType: 'Runtime.UserCodeSyntaxError', trace: expect.arrayContaining([expect.stringContaining('/var/task/lib.js:3:')]) });

    // A missing module: index.js line 2 requires what is not there.
    await replaceText(page, '// a library\nexports.value = 1;\n');
    await fileButton(page, 'index.js').click();
    await replaceText(page, '// entry\nconst missing = require("./not-there");\nexports.handler = async () => missing;\n');
    await page.keyboard.press('Control+s');
    await deployed(page);
    // Deploy cleared the old mark.
    expect(await banner.count()).toBe(0);
    await page.getByRole('button', { name: 'Test' }).click();
    await until(() => banner.textContent()).toMatch(/Runtime\.ImportModuleError on the last invoke at index\.js:2/);
    await until(() => page.locator('.cm-lint-marker-error').count()).toBeGreaterThan(0);
    // Fixed and tested again: the mark goes.
    await replaceText(page, 'const lib = require("./lib");\nexports.handler = async () => lib.value;\n');
    await page.keyboard.press('Control+s');
    await deployed(page);
    await page.getByRole('button', { name: 'Test' }).click();
    await until(() => page.getByText('Test succeeded with an empty event {}: 1').isVisible()).toBe(true);
    expect(await banner.count()).toBe(0);
    browser.expectClean(page);
  });

  it('uploads a .zip (its files shown, deployed byte for byte) and downloads the deployed zip', async () => {
    const page = await openCode('uploads');
    const zip = zipOf({ 'index.js': 'const data = require("./data.json");\nexports.handler = async () => data.greeting;\n', 'data.json': '{ "greeting": "from the upload" }\n' });
    const zipPath = join(server.workDir, 'function.zip');
    writeFileSync(zipPath, zip);
    await page.locator('input[type=file]').setInputFiles(zipPath);
    await until(() => fileButton(page, 'data.json').isVisible()).toBe(true);
    await until(() => editorText(page)).toContain('data.greeting');
    await until(() => page.locator('.code-unsaved').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Deploy' }).click();
    await deployed(page);
    expect(await invoke('uploads')).toBe('from the upload');
    const sha = createHash('sha256').update(zip).digest('base64');
    expect((await lambda.send(new GetFunctionCommand({ FunctionName: 'uploads' }))).Configuration!.CodeSha256).toBe(sha);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download .zip' }).click()]);
    expect(download.suggestedFilename()).toBe('uploads.zip');
    // Saved, not read where Chromium put it: a shared (connected) browser's download has no local path.
    const downloadPath = join(server.workDir, 'downloaded.zip');
    await download.saveAs(downloadPath);
    const downloaded = new Uint8Array(readFileSync(downloadPath));
    expect(Buffer.from(downloaded).equals(Buffer.from(await deployedZip('uploads')))).toBe(true);
    expect(Buffer.from(downloaded).equals(Buffer.from(zip))).toBe(true);
    browser.expectClean(page);
  });

  it('shows a package above 3 MB read only, as Lambda’s console', async () => {
    const page = await browser.page({ colorScheme: 'dark' });
    await browser.open(page, '/console/functions/too-big/code');
    await until(() => page.getByText(/larger than 3 MB/).isVisible()).toBe(true);
    await until(() => page.getByRole('textbox', { name: 'Code of index.js (read only)' }).count()).toBe(1);
    await page.locator('.cm-content').click();
    await page.keyboard.insertText('// typed');
    expect(await editorText(page)).not.toContain('// typed');
    expect(await page.getByRole('button', { name: 'Deploy' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'New file' }).isDisabled()).toBe(true);
    await fileButton(page, 'blob.bin').click();
    await until(() => page.getByText(/Binary file, 3\.2 MB/).isVisible()).toBe(true);
    await browser.screenshot(page, 'code-read-only-dark');
    browser.expectClean(page);
  });

  it('offers the deploy as an AWS CLI command and passes axe in light and dark', async () => {
    const page = await openCode('edit-me');
    await page.getByText('Copy as CLI (Deploy)').click();
    await until(() => page.locator('.cli-command').first().textContent()).toBe(`aws lambda update-function-code --function-name edit-me --zip-file fileb://function.zip --endpoint-url ${server.endpoint}`);
    // The system's scheme switched under the open page (the editor's colours are CSS variables): one load for both.
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await browser.expectAccessible(page, `code tab, ${colorScheme}`);
      await browser.screenshot(page, `code-editor-${colorScheme}-deployed`);
    }
    browser.expectClean(page);
  });
});
