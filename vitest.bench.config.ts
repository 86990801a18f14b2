import { defineConfig } from 'vitest/config';
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { buildGuestVendor } from './scripts/guest-vendor.mjs';
import { buildGuestSdk } from './scripts/guest-sdk.mjs';
import { buildConsole } from './scripts/console-build.mjs';
import { buildInstrumentedQuickjs } from './scripts/quickjs-instrument.mjs';
import { buildInstrumentedMicropython } from './scripts/micropython-instrument.mjs';

// The guest's vendored npm sources (the preinstalled AWS SDK among them) and QuickJS's and
// MicroPython's instrumented .wasm (wrangler's [build] command, which the vitest plugin skips).
buildGuestVendor();
await buildGuestSdk();
buildInstrumentedQuickjs();
buildInstrumentedMicropython();
await buildConsole({ quiet: true });

/** The benchmarks' own key at rest (32 bytes, base64); it protects nothing but their throwaway storage. */
const BENCH_ENCRYPTION_KEY = 'ZmFhc2JveCBiZW5jaCByb290IGtleSwgMzIgYnl0ZXM=';

// `npm run bench`, part one: sandbox benchmarks inside workerd. They print figures; they assert
// nothing about time.
export default defineConfig({
  // The benchmarks' functions name a placeholder role: accepted with every permission, so recording costs what it costs.
  // A key at rest: without one a new environment cannot mint its role's session and every
  // invocation would measure a failed cold start (Runtime.ExitError), not a warm run.
  // LOADER: a Worker Loader binding for the cold-start benchmark's anchor (bench/cold-start.bench.test.ts).
  plugins: [cloudflareTest({ wrangler: { configPath: './wrangler.toml' }, miniflare: { bindings: { FAASBOX_UNKNOWN_ROLES: 'allow-all', FAASBOX_ENCRYPTION_KEY: BENCH_ENCRYPTION_KEY }, workerLoaders: { LOADER: {} } } })],
  test: { include: ['bench/**/*.bench.test.ts'], testTimeout: 600_000 },
});
