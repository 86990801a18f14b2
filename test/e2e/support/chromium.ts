// How the end-to-end tests launch Debian's Chromium (playwright-core): one place for the file that
// launches its own (console-browser.ts) and for the shared one (shared-servers.ts).
import type { LaunchOptions } from 'playwright-core';
import { CHROMIUM } from '../../../scripts/test-prerequisites.mjs';

export const CHROMIUM_LAUNCH: LaunchOptions = {
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
};
