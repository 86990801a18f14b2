// The layering guard (`npm run layers`, part of `npm run typecheck`) on a copy of the tree with a
// planted violation: it must fail and name the files.
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const copies: string[] = [];
afterEach(() => copies.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A copy of the tree the guard reads, with `plant` applied; the guard's output and exit status. */
function guardWith(plant: (root: string) => void): { status: number; output: string } {
  const root = mkdtempSync(join(tmpdir(), 'faasbox-layers-'));
  copies.push(root);
  for (const entry of ['src', 'sandbox', '.dependency-cruiser.cjs', 'tsconfig.json', 'worker-configuration.d.ts']) cpSync(entry, join(root, entry), { recursive: true });
  plant(root);
  try {
    const output = execFileSync(join(process.cwd(), 'node_modules/.bin/depcruise'), ['--config', '.dependency-cruiser.cjs', 'src', 'sandbox'], { cwd: root, encoding: 'utf8', stdio: 'pipe' });
    return { status: 0, output };
  } catch (error) {
    const failed = error as { status: number; stdout: string; stderr: string };
    return { status: failed.status, output: failed.stdout + failed.stderr };
  }
}

describe('layering guard', () => {
  it('passes on the tree as it is', () => {
    expect(guardWith(() => {})).toMatchObject({ status: 0 });
  });

  it('fails on a planted import cycle, type-only included, and names its files', () => {
    const cycle = guardWith((root) => {
      appendFileSync(join(root, 'src/base64.ts'), "\nimport type { Caller } from './function-names';\nexport type PlantedCaller = Caller;\n");
      appendFileSync(join(root, 'src/function-names.ts'), "\nimport type { PlantedCaller } from './base64';\nexport type PlantedBack = PlantedCaller;\n");
    });
    expect(cycle.status).not.toBe(0);
    expect(cycle.output).toContain('no-cycle');
    expect(cycle.output).toContain('src/base64.ts');
    expect(cycle.output).toContain('src/function-names.ts');
  });

  it('fails when a Durable Object imports the app or a route', () => {
    const result = guardWith((root) => appendFileSync(join(root, 'src/objects/trace-store.ts'), "\nimport type { AppContext } from '../protocols/request-context';\nexport type Planted = AppContext;\n"));
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('core-imports-no-http');
    expect(result.output).toContain('src/objects/trace-store.ts');
  });

  it('fails when the sandbox imports the control plane', () => {
    const result = guardWith((root) => appendFileSync(join(root, 'sandbox/index.ts'), "\nexport type { Caller } from '../src/function-names';\n"));
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('sandbox-imports-no-control-plane');
  });
});
