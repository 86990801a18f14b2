// `npm run bench`: sandbox benchmarks inside workerd, then the HTTP and console benchmarks against wrangler dev.
import { spawnSync } from 'node:child_process';

const run = (cmd, args) => {
  const result = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } });
  if (result.status !== 0) process.exit(result.status ?? 1);
};
run('vitest', ['run', '--config', 'vitest.bench.config.ts', '--reporter', 'dot', '--silent=false']);
run('node', ['bench/http.mjs', process.argv[2] ?? '400']);
run('node', ['bench/console.mjs']);
