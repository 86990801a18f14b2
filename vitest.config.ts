import { defineConfig } from 'vitest/config';
import { cloudflareTest } from '@cloudflare/vitest-plugin';

export const TEST_ADMIN_KEY_ID = 'AKIATESTADMIN0000000';
export const TEST_ADMIN_SECRET = 'test-admin-secret-key';

// Two projects: tests inside workerd (sandbox and API through the Worker's own bindings), and
// end-to-end tests that start a real `wrangler dev` and drive it with the AWS SDK from Node.
export default defineConfig({
  test: {
    projects: [
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: './wrangler.toml' },
            // The admin keys .dev.vars holds on a developer's machine; fixed values for tests.
            miniflare: {
              bindings: {
                FAASBOX_ACCESS_KEY_ID: TEST_ADMIN_KEY_ID,
                FAASBOX_SECRET_ACCESS_KEY: TEST_ADMIN_SECRET,
                // Async retries without Lambda's minutes of delay, so tests finish in seconds.
                FAASBOX_ASYNC_RETRY_DELAYS_SECONDS: '0,0',
                FAASBOX_THROTTLE_BACKOFF_MAX_SECONDS: '1',
                // A small log ingest budget, so a flood test reaches it with little data.
                FAASBOX_LOG_INGEST_BYTES_PER_SECOND: '65536',
                FAASBOX_LOG_INGEST_BURST_BYTES: '524288',
              },
            },
          }),
        ],
        test: {
          name: 'workerd',
          include: ['test/workerd/**/*.test.ts'],
          testTimeout: 30_000,
          // A real HTTP server in Node that functions under test fetch (trace propagation tests).
          globalSetup: ['test/workerd/support/http-target.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
