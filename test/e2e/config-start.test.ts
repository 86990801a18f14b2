// A malformed FAASBOX_* value stops the start with a message naming the variable: `wrangler dev`
// (the Worker parses its config at module scope) and `npm start` (checked before wrangler runs).
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startDevServer } from './support/dev-server';

const ROOT = resolve(import.meta.dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'faasbox-config-'));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('a malformed FAASBOX_* value', () => {
  it('stops wrangler dev, naming the variable, its value and what was expected', async () => {
    // startDevServer's state directory comes from tmpdir(): under `scratch`, removed with it.
    const tmp = process.env.TMPDIR;
    process.env.TMPDIR = scratch;
    try {
      const started = startDevServer({ vars: { FAASBOX_POOL_BUDGET_MB: 'lots' } });
      await expect(started).rejects.toThrow(/wrangler dev exited with 1:[\s\S]*FAASBOX_POOL_BUDGET_MB must be a whole number of MiB >= 0, not 'lots'/);
    } finally {
      if (tmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = tmp;
    }
  });

  it('stops npm start before wrangler starts, in one line that names where the value came from', async () => {
    const checkout = mkdtempSync(join(scratch, 'checkout-'));
    for (const entry of ['package.json', 'wrangler.toml', 'src', 'sandbox', 'console', 'scripts', 'node_modules', 'worker-configuration.d.ts']) {
      symlinkSync(join(ROOT, entry), join(checkout, entry));
    }
    const child = spawn('npm', ['start', '--', '--var', 'FAASBOX_LEASE_GRACE_SECONDS:-5'], { cwd: checkout, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((r) => child.on('exit', r));

    expect(code, stdout + stderr).not.toBe(0);
    const ours = stderr.split('\n').filter((line) => line.startsWith('faasbox:'));
    expect(ours).toEqual(["faasbox: not starting: FAASBOX_LEASE_GRACE_SECONDS must be a whole number of seconds >= 0, not '-5' (--var)"]);
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stdout + stderr).not.toMatch(/wrangler|Starting local server/i);
  });
});
