// The console in a real browser: Debian's Chromium driven by playwright-core against the test
// file's `wrangler dev`. Every page opened here fails its test on any console error, uncaught
// exception or Content-Security-Policy violation; axe checks a page for serious and critical
// violations; screenshots go to test-artifacts/console/ (not committed) for a person to look at.
import { afterAll, beforeAll, expect } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { CHROMIUM } from '../../../scripts/test-prerequisites.mjs';
import type { E2EServer } from './harness';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const SCREENSHOTS = join(process.cwd(), 'test-artifacts', 'console');

export interface ConsoleBrowser {
  /** A new page (1280x720, the system's light theme unless `colorScheme`), watched for errors. */
  page(options?: { colorScheme?: 'light' | 'dark' }): Promise<Page>;
  /** Opens `path`, and signs in with the server's admin keys when the sign-in form shows. */
  open(page: Page, path: string): Promise<void>;
  /** Fails on what the page reported so far: console errors, exceptions, CSP violations. */
  expectClean(page: Page): void;
  /** axe on the page as it is: no serious or critical violations. */
  expectAccessible(page: Page, context?: string): Promise<void>;
  /** A PNG of the page in test-artifacts/console/<name>.png. */
  screenshot(page: Page, name: string): Promise<void>;
}

/** Registers a beforeAll that launches Chromium and an afterAll that closes it. */
export function useConsoleBrowser(server: E2EServer): ConsoleBrowser {
  let browser: Browser | undefined;
  const problems = new WeakMap<Page, string[]>();

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => { await browser?.close(); });

  return {
    async page({ colorScheme = 'light' } = {}) {
      if (!browser) throw new Error('useConsoleBrowser: the browser starts in beforeAll');
      const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, colorScheme, baseURL: server.endpoint });
      // Clipboard for "Copy as CLI" buttons.
      await context.grantPermissions(['clipboard-read', 'clipboard-write']);
      const page = await context.newPage();
      const seen: string[] = [];
      problems.set(page, seen);
      page.on('console', (message) => { if (message.type() === 'error') seen.push(`console error: ${message.text()}`); });
      page.on('pageerror', (error) => seen.push(`uncaught: ${error.message}`));
      // CSP violations reach the page as events before (or without) a console message.
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (event) => {
          console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`);
        });
      });
      return page;
    },
    async open(page, path) {
      await page.goto(path);
      const form = page.getByRole('heading', { name: 'Sign in to the faasbox console' });
      if (await form.isVisible().catch(() => false)) {
        await page.getByLabel('Access key ID').fill(server.accessKeyId);
        await page.getByLabel('Secret access key').fill(server.secretAccessKey);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await expect.poll(() => form.isVisible()).toBe(false);
      }
    },
    expectClean(page) {
      expect(problems.get(page) ?? []).toEqual([]);
    },
    async expectAccessible(page, context) {
      const results = await new AxeBuilder({ page }).analyze();
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
