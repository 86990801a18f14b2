import { defineConfig } from 'vitest/config';
import { cloudflareTest } from '@cloudflare/vitest-plugin';

// `npm run bench`, part one: sandbox benchmarks inside workerd. They print figures; they assert
// nothing about time.
export default defineConfig({
  plugins: [cloudflareTest({ wrangler: { configPath: './wrangler.toml' } })],
  test: { include: ['bench/**/*.bench.test.ts'], testTimeout: 600_000 },
});
