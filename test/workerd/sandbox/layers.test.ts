// Layers in the guest (docs/LAYERS.md): their files under /opt, extracted in order, and the
// module resolution of Lambda's Node.js runtime over them (node_modules upward, then NODE_PATH).
import { afterAll, describe, expect, it } from 'vitest';
import { EnvironmentPool, type EnvironmentSpec } from '../../../sandbox';
import { capabilities, inputFor, payloadOf, specFor } from './support';

const pool = new EnvironmentPool({ budgetBytes: 512 * 1024 * 1024 });
afterAll(() => pool.dispose());

async function invoke(files: Record<string, string>, layerFiles: Record<string, string>[], overrides: Partial<EnvironmentSpec> = {}) {
  return pool.invoke(specFor(files, { layerFiles, ...overrides }), inputFor({}), capabilities());
}

const GREETER = { 'nodejs/node_modules/greeter/package.json': '{"main":"lib/main.js"}', 'nodejs/node_modules/greeter/lib/main.js': 'exports.greet = (n) => `hi ${n}`;' };

describe('layers under /opt', () => {
  it("requires a package from a layer's nodejs/node_modules, and require.resolve names its /opt path", async () => {
    const report = await invoke(
      { 'index.js': "const g = require('greeter'); exports.handler = async () => [g.greet('ada'), require.resolve('greeter')];" },
      [GREETER],
    );
    expect(payloadOf(report)).toEqual([
      'hi ada',
      '/opt/nodejs/node_modules/greeter/lib/main.js',
    ]);
  });

  it('finds nodejs/node22/node_modules before nodejs/node_modules, as NODE_PATH lists them', async () => {
    const report = await invoke(
      { 'index.js': "exports.handler = async () => require('which');" },
      [{ 'nodejs/node_modules/which/index.js': "module.exports = 'generic';", 'nodejs/node22/node_modules/which/index.js': "module.exports = 'node22';" }],
    );
    expect(payloadOf(report)).toBe('node22');
  });

  it("prefers the function's own node_modules over a layer's", async () => {
    const report = await invoke(
      { 'index.js': "exports.handler = async () => require('dep');", 'node_modules/dep/index.js': "module.exports = 'bundle';" },
      [{ 'nodejs/node_modules/dep/index.js': "module.exports = 'layer';" }],
    );
    expect(payloadOf(report)).toBe('bundle');
  });

  it("lets a later layer's file override an earlier one's at the same path", async () => {
    const report = await invoke(
      { 'index.js': "exports.handler = async () => [require('/opt/shared.js'), require('/opt/only-first.js')];" },
      [
        { 'shared.js': "module.exports = 'first';", 'only-first.js': "module.exports = 'kept';" },
        { 'shared.js': "module.exports = 'second';" },
      ],
    );
    expect(payloadOf(report)).toEqual(['second', 'kept']);
  });

  it('imports ESM from a layer by package name and by absolute path; relative imports inside the layer resolve in /opt', async () => {
    const report = await invoke(
      { 'index.mjs': "import { twice } from 'esm-math'; import { three } from '/opt/lib/three.mjs'; export const handler = async () => twice(three);" },
      [{
        'nodejs/node_modules/esm-math/package.json': '{"type":"module","main":"index.js"}',
        'nodejs/node_modules/esm-math/index.js': "import { times } from './times.js'; export const twice = (n) => times(n, 2);",
        'nodejs/node_modules/esm-math/times.js': 'export const times = (a, b) => a * b;',
        'lib/three.mjs': 'export const three = 3;',
      }],
      { handler: 'index.handler' },
    );
    expect(payloadOf(report)).toBe(6);
  });

  it("honours the function's own NODE_PATH instead of Lambda's", async () => {
    const report = await invoke(
      { 'index.js': "exports.handler = async () => require('tool');" },
      [{ 'custom/tool.js': "module.exports = 'custom';", 'nodejs/node_modules/tool/index.js': "module.exports = 'default';" }],
      { environmentVariables: { NODE_PATH: '/opt/custom' } },
    );
    expect(payloadOf(report)).toBe('custom');
  });

  it('answers a package in no layer as Runtime.ImportModuleError with the require stack', async () => {
    const report = await invoke({ 'index.js': "require('missing'); exports.handler = async () => 1;" }, [GREETER]);
    expect(report.result).toMatchObject({ kind: 'failure', reason: 'import-module-error' });
    if (report.result.kind === 'failure') expect(report.result.error.errorMessage).toContain("Cannot find module 'missing'\nRequire stack:\n- /var/task/index.js");
  });
});
