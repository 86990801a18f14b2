// `wrangler dev` for the scripts and benchmarks that drive it over HTTP (bench/, the docs screenshot):
// started on a port, ready when it says so, stopped by its own process.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

// The project's own wrangler, also when run with plain `node` (outside npm's PATH).
const LOCAL_WRANGLER = resolve('node_modules', '.bin', 'wrangler');
const WRANGLER = existsSync(LOCAL_WRANGLER) ? LOCAL_WRANGLER : 'wrangler';

export async function startWrangler(args, port) {
  const child = spawn(WRANGLER, ['dev', '--ip', '127.0.0.1', '--port', String(port), '--show-interactive-dev-session=false', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true' },
  });
  let log = '';
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`wrangler dev did not start:\n${log}`)), 90_000);
    child.stdout.on('data', (d) => { log += d; if (/Ready on/.test(log)) { clearTimeout(timer); resolve(); } });
    child.stderr.on('data', (d) => (log += d));
    child.on('exit', (code) => reject(new Error(`wrangler exited ${code}:\n${log}`)));
  });
  return child;
}

export const stopWrangler = (child) => new Promise((resolve) => { child.once('exit', resolve); child.kill('SIGTERM'); });
