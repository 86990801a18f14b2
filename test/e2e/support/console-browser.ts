// The console in a real browser: Debian's Chromium driven by playwright-core against the test
// file's `wrangler dev`. Every page opened here fails its test on any console error, uncaught
// exception or Content-Security-Policy violation; axe checks a page for serious and critical
// violations; screenshots go to test-artifacts/console/ (not committed) for a person to look at.
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import type { AxeResults } from 'axe-core';
import type { E2EServer } from './harness';
import { CHROMIUM_LAUNCH } from './chromium';
import { askBroker, type SharedBrowser } from './shared-servers';

export const SCREENSHOTS = join(process.cwd(), 'test-artifacts', 'console');

/** The axe-core that @axe-core/playwright runs (its own dependency), read once per test file. */
const requireFromAxePlaywright = createRequire(createRequire(import.meta.url).resolve('@axe-core/playwright'));
const AXE_SOURCE = readFileSync(requireFromAxePlaywright.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe.run on the page's document, as AxeBuilder runs it (its legacy mode: the same rules and
 * options, same-origin frames only), with axe evaluated once per document instead of two or three
 * times per check plus a blank page for the results: that was most of a check's 2-3 s on a loaded
 * machine. A page with frames goes through AxeBuilder itself, which checks each frame.
 */
async function runAxe(page: Page): Promise<AxeResults> {
  if (page.frames().length > 1) return new AxeBuilder({ page }).analyze();
  // Gone after a full navigation; kept across the console's own (in-app) navigations.
  if (!(await page.evaluate(() => 'axe' in window))) {
    await page.evaluate(`${AXE_SOURCE}\n;axe.configure({ allowedOrigins: ['<same_origin>'], branding: { application: 'playwright' } });`);
  }
  return page.evaluate(() => (window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResults> } }).axe.run(document, {}));
}

/** Where the console keeps a signed-in tab's keys (console/src/session.ts); nothing else of the tab is carried over. */
const CREDENTIALS_KEY = 'faasbox.credentials';

export interface ConsoleBrowser {
  /** A new page (1280x720, the system's light theme unless `colorScheme`), watched for errors. */
  page(options?: { colorScheme?: 'light' | 'dark' }): Promise<Page>;
  /**
   * Opens `path`, and signs in with the server's admin keys when the sign-in form shows. The file's
   * first sign-in goes through the form; a new page's first open afterwards starts signed in with
   * the keys that sign-in saved in its tab, and falls back to the form.
   */
  open(page: Page, path: string): Promise<void>;
  /**
   * Fails on what the page reported so far: console errors, exceptions, CSP violations, and
   * failed requests (status 400 or more) unless `allowFailure` accepts them: a test that makes
   * the API refuse on purpose names those (Chromium logs each as "Failed to load resource").
   */
  expectClean(page: Page, allowFailure?: (status: number, path: string) => boolean): void;
  /** axe on the page as it is: no serious or critical violations. */
  expectAccessible(page: Page, context?: string): Promise<void>;
  /** A PNG of the page in test-artifacts/console/<name>.png. */
  screenshot(page: Page, name: string): Promise<void>;
}

/**
 * Registers a beforeAll that launches Chromium and an afterAll that closes it. `shared`: connects
 * instead to the one Chromium the files that ask for it share (test/e2e/support/shared-servers.ts;
 * every page still gets a browser context of its own), and closing only disconnects.
 */
export function useConsoleBrowser(server: E2EServer, options: { shared?: boolean } = {}): ConsoleBrowser {
  let browser: Browser | undefined;
  const problems = new WeakMap<Page, { errors: string[]; failures: { status: number; path: string }[] }>();
  // The keys the console saved in its tab at this file's first sign-in through the form (open()).
  let signedInSession: string | undefined;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    if (options.shared) {
      const { wsEndpoint } = await askBroker<SharedBrowser>(inject('e2eSharedBrokerUrl'), '/browser');
      browser = await chromium.connect(wsEndpoint);
    } else {
      browser = await chromium.launch(CHROMIUM_LAUNCH);
    }
  });
  // On a shared browser this closes the contexts this file made and disconnects.
  afterAll(async () => { await browser?.close(); });

  return {
    async page({ colorScheme = 'light' } = {}) {
      if (!browser) throw new Error('useConsoleBrowser: the browser starts in beforeAll');
      const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, colorScheme, baseURL: server.endpoint });
      // Clipboard for "Copy as CLI" buttons.
      await context.grantPermissions(['clipboard-read', 'clipboard-write']);
      const page = await context.newPage();
      const seen = { errors: [] as string[], failures: [] as { status: number; path: string }[] };
      problems.set(page, seen);
      page.on('console', (message) => { if (message.type() === 'error') seen.errors.push(message.text()); });
      page.on('pageerror', (error) => seen.errors.push(`uncaught: ${error.message}`));
      page.on('response', (response) => {
        if (response.status() >= 400) seen.failures.push({ status: response.status(), path: new URL(response.url()).pathname });
      });
      // CSP violations reach the page as events before (or without) a console message.
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (event) => {
          console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`);
        });
      });
      return page;
    },
    async open(page, path) {
      // A new page's first document starts signed in with the keys the file's first sign-in saved
      // (the form costs a loaded machine about a second per page); only that document, at the console's origin.
      const resumed = signedInSession && page.url() === 'about:blank'
        ? await page.addInitScript(({ origin, key, saved }) => {
          if (location.origin === origin && sessionStorage.getItem(key) === null) sessionStorage.setItem(key, saved);
        }, { origin: new URL(server.endpoint).origin, key: CREDENTIALS_KEY, saved: signedInSession })
        : undefined;
      try {
        await page.goto(path);
      } finally {
        await resumed?.dispose();
      }
      const form = page.getByRole('heading', { name: 'Sign in to the faasbox console' });
      // The form or the signed-in top bar, once the app has drawn (a loaded machine can lag the load event).
      await form.or(page.getByRole('navigation', { name: 'Console' })).first().waitFor().catch(() => undefined);
      if (await form.isVisible().catch(() => false)) {
        await page.getByLabel('Access key ID').fill(server.accessKeyId);
        await page.getByLabel('Secret access key').fill(server.secretAccessKey);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await expect.poll(() => form.isVisible()).toBe(false);
        signedInSession ??= (await page.evaluate((key) => sessionStorage.getItem(key), CREDENTIALS_KEY)) ?? undefined;
      }
    },
    expectClean(page, allowFailure = () => false) {
      const { errors, failures } = problems.get(page) ?? { errors: [], failures: [] };
      const isFailedLoad = (e: string) => e.startsWith('Failed to load resource');
      expect(errors.filter((e) => !isFailedLoad(e))).toEqual([]);
      expect(failures.filter((f) => !allowFailure(f.status, f.path)).map((f) => `${f.status} ${f.path}`)).toEqual([]);
      // Every logged failed load is one of the allowed answers (none is an asset or another origin's).
      expect(errors.filter(isFailedLoad).length).toBeLessThanOrEqual(failures.length);
    },
    async expectAccessible(page, context) {
      const results = await runAxe(page);
      const serious = results.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      expect(serious, `axe on ${context ?? page.url()}`).toEqual([]);
    },
    async screenshot(page, name) {
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
    },
  };
}
