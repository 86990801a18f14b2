import { createServer } from 'node:net';
import { configDefaults, defineConfig } from 'vitest/config';
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { unstable_readConfig } from 'wrangler';
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
// The console's static assets (wrangler.toml [assets] must name a folder that exists).
await buildConsole({ quiet: true });

export const TEST_ADMIN_KEY_ID = 'AKIATESTADMIN0000000';
export const TEST_ADMIN_SECRET = 'test-admin-secret-key';
/** The root key of encryption at rest in workerd tests: 32 bytes ("faasbox test root key, 32 bytes!"), base64. */
export const TEST_ENCRYPTION_KEY = 'ZmFhc2JveCB0ZXN0IHJvb3Qga2V5LCAzMiBieXRlcyE=';

/** Billing configuration of the workerd tests (wrangler.toml has Lambda's real prices). */
export const BILLING_TEST_PRICES = {
  FAASBOX_PRICE_PER_MILLION_REQUESTS: '50000',
  FAASBOX_PRICE_PER_GB_SECOND: '3.5',
  FAASBOX_FREE_TIER_REQUESTS: '2',
  FAASBOX_FREE_TIER_GB_SECONDS: '0.02',
};

/** Tests that need the pre-2020 100 ms billing granularity run in a Worker of their own. */
const BILLED_100MS_TESTS = 'test/workerd/**/*.100ms.test.ts';

/** Tests of the API rate limits run in a Worker of their own, with limits a burst of a few requests reaches. */
const RATE_LIMIT_TESTS = 'test/workerd/**/*.ratelimit.test.ts';
/** The small limits of that Worker (test/workerd/api/rate-limits.ratelimit.test.ts). */
export const RATE_LIMIT_TEST_LIMITS = {
  FAASBOX_API_RATE_PER_KEY_PER_SECOND: '1',
  FAASBOX_API_BURST_PER_KEY: '6',
  FAASBOX_API_RATE_PER_ADDRESS_PER_SECOND: '1',
  FAASBOX_API_BURST_PER_ADDRESS: '9',
  FAASBOX_AUTH_FAILURES_PER_MINUTE: '60',
  FAASBOX_AUTH_FAILURE_BURST: '3',
};

/**
 * Tests of execution roles (test/workerd/iam/execution-*.test.ts) run in a Worker of their own that
 * enforces roles as a deployment does: an unknown role is refused (FAASBOX_UNKNOWN_ROLES's default).
 */
const EXECUTION_ROLE_TESTS = 'test/workerd/iam/execution-*.test.ts';

/** Tests of the playground (test/workerd/playground) run in a Worker of their own, with its limits small. */
const PLAYGROUND_TESTS = 'test/workerd/playground/**/*.test.ts';
/** That Worker's playground configuration (docs/PLAYGROUND.md): quotas a few requests reach. */
export const PLAYGROUND_TEST_LIMITS = {
  // A proof of work of a few hashes: the tests solve it in Node with altcha-lib.
  FAASBOX_PLAYGROUND_POW_COST: '20',
  // The quotas a few requests reach (test/workerd/playground/quotas*.test.ts, docs/PLAYGROUND.md, "Quotas").
  // The cost cap is counted at the test prices (BILLING_TEST_PRICES: $0.05 a request and $3.5 a GB-second,
  // $0.44 a second at 128 MB): quick invocations stay far below $1 even on a loaded machine, so the
  // invocation counts trip first; three of 700 ms cross it.
  FAASBOX_PLAYGROUND_FUNCTIONS: '3',
  FAASBOX_PLAYGROUND_ZIP_BYTES: '4096',
  FAASBOX_PLAYGROUND_UNZIPPED_BYTES: '16384',
  FAASBOX_PLAYGROUND_INVOCATIONS_PER_MINUTE: '3',
  FAASBOX_PLAYGROUND_INVOCATIONS_TOTAL: '5',
  FAASBOX_PLAYGROUND_URL_REQUESTS_PER_MINUTE: '3',
  FAASBOX_PLAYGROUND_SCHEDULE_MIN_SECONDS: '120',
  FAASBOX_PLAYGROUND_QUEUES: '2',
  FAASBOX_PLAYGROUND_QUEUE_MESSAGES: '3',
  FAASBOX_PLAYGROUND_LOG_BYTES: '4096',
  FAASBOX_PLAYGROUND_API_CALLS_PER_MINUTE: '40',
  FAASBOX_PLAYGROUND_COST_CAP_USD: '1',
};

/**
 * wrangler.toml's queue consumers, except that a batch is handed over as soon as the consumer is
 * free instead of after max_batch_timeout (1 s): each hop of an async event (first try, every
 * retry) would otherwise wait that second. Under load batches still fill while one runs.
 */
const TEST_QUEUE_CONSUMERS = Object.fromEntries((unstable_readConfig({ config: './wrangler.toml' }).queues.consumers ?? []).map((consumer) => [consumer.queue, {
  maxBatchSize: consumer.max_batch_size, maxBatchTimeout: 0, maxRetries: consumer.max_retries, retryDelay: consumer.retry_delay, deadLetterQueue: consumer.dead_letter_queue,
}]));

/** The Worker's own host in workerd tests (test/workerd/support/signed-client.ts's ORIGIN). */
export const TEST_PLATFORM_HOST = 'faasbox.test';

/** A port free on 127.0.0.1 now, for a server started later (the HTTP target of a project). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A project of tests inside workerd, with the Worker's bindings plus `extraBindings`. */
async function workerdProject(name: string, include: string[], exclude: string[], extraBindings: Record<string, string> = {}) {
  // Chosen before the Worker starts so the egress allow list can name exactly this server.
  const httpTargetPort = await freePort();
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: './wrangler.toml' },
        // The admin keys and the encryption key .dev.vars holds on a developer's machine; fixed values for tests.
        miniflare: {
          bindings: {
            FAASBOX_ACCESS_KEY_ID: TEST_ADMIN_KEY_ID,
            FAASBOX_SECRET_ACCESS_KEY: TEST_ADMIN_SECRET,
            FAASBOX_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
            // Room for the suites' concurrent invocations at the 64 MiB ceiling (wrangler.toml's 80
            // MiB, a production isolate's, runs one at a time).
            FAASBOX_POOL_BUDGET_MB: '512',
            // Async retries without Lambda's minutes of delay, so tests finish in seconds.
            FAASBOX_ASYNC_RETRY_DELAYS_SECONDS: '0,0',
            FAASBOX_THROTTLE_BACKOFF_MAX_SECONDS: '1',
            // A small log ingest budget, so a flood test reaches it with little data.
            FAASBOX_LOG_INGEST_BYTES_PER_SECOND: '65536',
            FAASBOX_LOG_INGEST_BURST_BYTES: '524288',
            // Prices high and a free tier small enough that a handful of invocations cost whole
            // cents past the free tier (test/workerd/billing).
            ...BILLING_TEST_PRICES,
            // Functions under test may fetch the HTTP target on loopback (and no other local
            // port); the Worker's own test host is the platform's (docs/SECURITY.md, egress).
            FAASBOX_EGRESS_ALLOW: `127.0.0.1:${httpTargetPort}`,
            FAASBOX_EGRESS_DENY: TEST_PLATFORM_HOST,
            // Suites send bad signatures for the admin key by the dozen (auth, fuzz): failures are
            // counted but never stop them; the request rates keep wrangler.toml's values.
            FAASBOX_AUTH_FAILURE_BURST: '1000000',
            // The suites' functions name placeholder roles (arn:aws:iam::123456789012:role/test) that
            // no IamStore holds: accepted with every permission; the IAM tests' project refuses them.
            FAASBOX_UNKNOWN_ROLES: 'allow-all',
            ...extraBindings,
          },
          queueConsumers: TEST_QUEUE_CONSUMERS,
        },
      }),
    ],
    test: {
      name, include, exclude: [...configDefaults.exclude, ...exclude], testTimeout: 30_000,
      // A real HTTP server in Node that functions under test fetch (trace propagation tests).
      globalSetup: ['test/workerd/support/http-target.ts'],
      // The local HTTP target's port, and the fuzz test's seed (test/workerd/fuzz): a number to replay a run, `random` to explore.
      provide: { httpTargetPort, fuzzSeed: process.env.FAASBOX_FUZZ_SEED ?? '' },
    },
  };
}

// Projects: tests inside workerd (sandbox and API through the Worker's own bindings; a second
// Worker for the 100 ms billing granularity), and end-to-end tests that start a real
// `wrangler dev` and drive it with the AWS SDK from Node.
export default defineConfig({
  test: {
    // Most test time is waiting (queues, alarms, wrangler dev, Chromium, the AWS CLI's start), not
    // CPU: three files at a time keep 2 cores about 135% busy. Four kept them 138% busy and were no
    // faster (12:52 against 12:19 at three); in an earlier run at four a console test timed out waiting for its page.
    maxWorkers: 3,
    projects: [
      await workerdProject('workerd', ['test/workerd/**/*.test.ts'], [BILLED_100MS_TESTS, RATE_LIMIT_TESTS, PLAYGROUND_TESTS, EXECUTION_ROLE_TESTS]),
      await workerdProject('workerd-100ms', [BILLED_100MS_TESTS], [], { FAASBOX_BILLED_DURATION_GRANULARITY_MS: '100' }),
      await workerdProject('workerd-ratelimit', [RATE_LIMIT_TESTS], [], RATE_LIMIT_TEST_LIMITS),
      await workerdProject('workerd-playground', [PLAYGROUND_TESTS], [], PLAYGROUND_TEST_LIMITS),
      await workerdProject('workerd-iam', [EXECUTION_ROLE_TESTS], [], { FAASBOX_UNKNOWN_ROLES: 'refuse' }),
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // The one wrangler dev and Chromium that files opting in share, started on first use
          // (test/e2e/support/shared-servers.ts).
          globalSetup: ['test/e2e/support/shared-servers.ts'],
          // Files run side by side with the workerd ones (the global maxWorkers), each with its own
          // wrangler dev on a free port and the console built once by this config
          // (test/e2e/support/dev-server.ts): most of their time is waiting on a server or a browser.
          // expect.poll waits for pages and servers on a machine that may be loaded (its default gives up after 1 s).
          expect: { poll: { timeout: 15_000 } },
          // A worker process serves file after file with the SDKs, playwright and the support modules
          // already imported (about 4 s a file on a loaded machine). Safe while e2e files keep no
          // state outside their own module: servers, browsers and accounts are per file (harness.ts).
          isolate: false,
        },
      },
    ],
  },
});
