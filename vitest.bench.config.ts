import { defineConfig } from 'vitest/config';
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { buildGuestVendor } from './scripts/guest-vendor.mjs';
import { buildConsole } from './scripts/console-build.mjs';
import { buildInstrumentedQuickjs } from './scripts/quickjs-instrument.mjs';
import { buildInstrumentedMicropython } from './scripts/micropython-instrument.mjs';

// The guest's vendored npm sources and QuickJS's and MicroPython's instrumented .wasm (wrangler's [build] command,
// which the vitest plugin skips).
buildGuestVendor();
buildInstrumentedQuickjs();
buildInstrumentedMicropython();
await buildConsole({ quiet: true });

// `npm run bench`, part one: sandbox benchmarks inside workerd. They print figures; they assert
// nothing about time.
export default defineConfig({
  // The benchmarks' functions name a placeholder role: accepted with every permission, so recording costs what it costs.
  plugins: [cloudflareTest({ wrangler: { configPath: './wrangler.toml' }, miniflare: { bindings: { FAASBOX_UNKNOWN_ROLES: 'allow-all' } } })],
  test: { include: ['bench/**/*.bench.test.ts'], testTimeout: 600_000 },
});
