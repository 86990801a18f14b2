// Lambda's Node.js handler conventions: resolution, module systems, init failures, callbacks, context.
import { afterAll, describe, expect, it } from 'vitest';
import { EnvironmentPool, type InvocationReport } from '../../../sandbox';
import syntaxError from '../../fixtures/functions/syntax-error.js?raw';
import { capabilities, inputFor, payloadOf, specFor } from './support';

const pool = new EnvironmentPool({ budgetBytes: 512 * 1024 * 1024 });
afterAll(() => pool.dispose());

function run(files: Record<string, string>, handler = 'index.handler', event: unknown = {}, overrides = {}): Promise<InvocationReport> {
  return pool.invoke(specFor(files, { handler, ...overrides }), inputFor(event), capabilities());
}

function failureOf(report: InvocationReport) {
  if (report.result.kind !== 'failure') throw new Error(`expected failure, got ${JSON.stringify(report.result)}`);
  return report.result;
}

describe('handler resolution', () => {
  it('splits the base name at the first dot and walks a nested export', async () => {
    const files = { 'src/app.js': 'exports.routes = { get: async () => "nested" };' };
    expect(payloadOf(await run(files, 'src/app.routes.get'))).toBe('nested');
  });

  it('looks up module, module.js, module.mjs, module.cjs in that order', async () => {
    expect(payloadOf(await run({ 'h.cjs': 'exports.handler = async () => "cjs";' }, 'h.handler'))).toBe('cjs');
    expect(payloadOf(await run({ 'h.mjs': 'export const handler = async () => "mjs";', 'h.cjs': 'exports.handler = async () => "cjs";' }, 'h.handler'))).toBe('mjs');
    expect(payloadOf(await run({ 'h.js': 'exports.handler = async () => "js";', 'h.mjs': 'export const handler = async () => "mjs";' }, 'h.handler'))).toBe('js');
  });

  it('rejects .. in the handler as MalformedHandlerName', async () => {
    const failure = failureOf(await run({ 'index.js': 'exports.handler = async () => 1;' }, '../index.handler'));
    expect(failure.reason).toBe('malformed-handler');
    expect(failure.error.errorType).toBe('Runtime.MalformedHandlerName');
  });

  it('rejects a handler without a dot as Bad handler', async () => {
    const failure = failureOf(await run({ 'index.js': '' }, 'index'));
    expect(failure.error).toMatchObject({ errorType: 'Runtime.MalformedHandlerName', errorMessage: 'Bad handler index' });
  });

  it('reports a missing export as HandlerNotFound', async () => {
    const failure = failureOf(await run({ 'index.js': 'exports.other = 1;' }));
    expect(failure.reason).toBe('handler-not-found');
    expect(failure.error).toMatchObject({ errorType: 'Runtime.HandlerNotFound', errorMessage: 'index.handler is undefined or not exported' });
  });

  it('reports a missing module as ImportModuleError', async () => {
    const failure = failureOf(await run({ 'other.js': '' }));
    expect(failure.reason).toBe('import-module-error');
    expect(failure.error.errorType).toBe('Runtime.ImportModuleError');
    expect(failure.error.errorMessage).toMatch(/^Error: Cannot find module 'index'/);
  });

  it('reports a syntax error as UserCodeSyntaxError', async () => {
    const failure = failureOf(await run({ 'index.js': syntaxError }));
    expect(failure.reason).toBe('syntax-error');
    expect(failure.error.errorType).toBe('Runtime.UserCodeSyntaxError');
    expect(failure.error.errorMessage).toMatch(/^SyntaxError: /);
  });

  it('re-runs init after an init failure instead of reusing the environment', async () => {
    const spec = specFor({ 'index.js': 'globalThis.n = (globalThis.n || 0) + 1; throw new Error("init " + globalThis.n);' });
    const first = failureOf(await pool.invoke(spec, inputFor(), capabilities()));
    const second = await pool.invoke(spec, inputFor(), capabilities());
    expect(first.error).toMatchObject({ errorType: 'Error', errorMessage: 'init 1' });
    expect(failureOf(second).error.errorMessage).toBe('init 1');
    expect(second.initDurationMs).toBeTypeOf('number');
  });
});

describe('module systems', () => {
  it('runs ESM by "type": "module", with relative imports and top-level await', async () => {
    const files = {
      'package.json': '{"type":"module"}',
      'index.js': 'import { twice } from "./lib/math.js"; const base = await Promise.resolve(20); export const handler = async () => twice(base) + 2;',
      'lib/math.js': 'export const twice = (n) => n * 2;',
    };
    expect(payloadOf(await run(files))).toBe(42);
  });

  it('gives an ESM importing CommonJS its module.exports as default', async () => {
    const files = { 'index.mjs': 'import lib from "./lib.cjs"; export const handler = async () => lib.name;', 'lib.cjs': 'module.exports = { name: "cjs-lib" };' };
    expect(payloadOf(await run(files))).toBe('cjs-lib');
  });

  it('supports require of files, directories (index.js), JSON and node_modules, with a module cache', async () => {
    const files = {
      'index.js': `
        const a = require('./lib/a');
        const again = require('./lib/a.js');
        const dir = require('./dir');
        const data = require('./data.json');
        const pkg = require('pkg');
        exports.handler = async () => ({ a: a.value, same: a === again, dir, data, pkg, loads: globalThis.loads });`,
      'lib/a.js': 'globalThis.loads = (globalThis.loads || 0) + 1; exports.value = require("../data.json").x + 1;',
      'dir/index.js': 'module.exports = "dir-index";',
      'data.json': '{"x": 1}',
      'node_modules/pkg/package.json': '{"main": "main.js"}',
      'node_modules/pkg/main.js': 'module.exports = "from-pkg";',
    };
    expect(payloadOf(await run(files))).toEqual({ a: 2, same: true, dir: 'dir-index', data: { x: 1 }, pkg: 'from-pkg', loads: 1 });
  });

  it("throws Node's Cannot find module for built-ins", async () => {
    const files = { 'index.js': 'exports.handler = async () => { try { require("fs"); } catch (e) { return [e.message.split("\\n")[0], e.code]; } };' };
    expect(payloadOf(await run(files))).toEqual(["Cannot find module 'fs'", 'MODULE_NOT_FOUND']);
  });

  it('reports a failed require at init as ImportModuleError', async () => {
    const failure = failureOf(await run({ 'index.js': 'require("lodash"); exports.handler = async () => 1;' }));
    expect(failure.error.errorType).toBe('Runtime.ImportModuleError');
    expect(failure.error.errorMessage).toMatch(/^Error: Cannot find module 'lodash'/);
  });
});

describe('handler styles', () => {
  it('treats a non-Error thrown value as its typeof', async () => {
    const failure = failureOf(await run({ 'index.js': 'exports.handler = async () => { throw "boom"; };' }));
    expect(failure.error).toEqual({ errorType: 'string', errorMessage: 'boom', trace: [] });
  });

  it('returns null for an undefined result, and the value of a sync handler', async () => {
    expect(payloadOf(await run({ 'index.js': 'exports.handler = async () => undefined;' }))).toBeNull();
    expect(payloadOf(await run({ 'index.js': 'exports.handler = (event) => event.n + 1;' }, 'index.handler', { n: 1 }))).toBe(2);
  });

  it('settles a callback handler once, with the first result', async () => {
    const files = { 'index.js': 'exports.handler = (event, context, callback) => { callback(null, "first"); callback(null, "second"); };' };
    expect(payloadOf(await run(files))).toBe('first');
    const failing = { 'index.js': 'exports.handler = (event, context, callback) => { setTimeout(() => callback(new TypeError("late")), 5); };' };
    expect(failureOf(await run(failing)).error).toMatchObject({ errorType: 'TypeError', errorMessage: 'late' });
  });

  it('waits for the empty event loop after callback by default, and not when told otherwise', async () => {
    const waits = { 'index.js': 'exports.handler = (e, ctx, cb) => { setTimeout(() => console.log("after"), 20); cb(null, "done"); };' };
    const report = await run(waits);
    expect(payloadOf(report)).toBe('done');
    expect(report.console.map((r) => r.message)).toEqual(['after']);
    const noWait = { 'index.js': 'exports.handler = (e, ctx, cb) => { ctx.callbackWaitsForEmptyEventLoop = false; setTimeout(() => console.log("after"), 20); cb(null, "done"); };' };
    expect((await run(noWait)).console).toEqual([]);
  });

  it('supports the legacy context.succeed', async () => {
    expect(payloadOf(await run({ 'index.js': 'exports.handler = (e, ctx, cb) => ctx.succeed("ok");' }))).toBe('ok');
  });

  it('fails a callback handler on nodejs24.x with CallbackHandlerDeprecated', async () => {
    const failure = failureOf(await run({ 'index.js': 'exports.handler = (e, ctx, cb) => cb(null, 1);' }, 'index.handler', {}, { runtime: 'nodejs24.x' }));
    expect(failure.reason).toBe('callback-deprecated');
    expect(failure.error.errorType).toBe('Runtime.CallbackHandlerDeprecated');
    expect(payloadOf(await run({ 'index.js': 'exports.handler = async (e, ctx, cb) => 1;' }, 'index.handler', {}, { runtime: 'nodejs24.x' }))).toBe(1);
  });

  it('passes a Lambda context object', async () => {
    const spec = specFor(
      { 'index.js': `exports.handler = async (e, c) => ({ ...c, remaining: c.getRemainingTimeInMillis(), readAtMs: Date.now(), hasDone: typeof c.done, clientContext: c.clientContext });` },
      { timeoutMs: 3000 },
    );
    const input = inputFor({}, { clientContextJson: '{"custom":{"k":"v"}}' });
    const report = await pool.invoke(spec, input, capabilities());
    const context = payloadOf(report) as Record<string, unknown>;
    expect(context).toMatchObject({
      functionName: 'fn',
      functionVersion: '$LATEST',
      invokedFunctionArn: input.invokedFunctionArn,
      memoryLimitInMB: '128',
      awsRequestId: input.requestId,
      logGroupName: '/aws/lambda/fn',
      logStreamName: report.logStreamName,
      callbackWaitsForEmptyEventLoop: true,
      clientContext: { custom: { k: 'v' } },
      hasDone: 'function',
    });
    // Counts down from the deadline (the handler's start plus the timeout): at most the whole
    // timeout, and at least what was left when the guest read its clock just after.
    expect(context.remaining).toBeLessThanOrEqual(spec.timeoutMs);
    expect(context.remaining).toBeGreaterThanOrEqual(report.handlerStartedAtMs! + spec.timeoutMs - (context.readAtMs as number));
  });

  it('provides process and global', async () => {
    const files = { 'index.js': 'exports.handler = async () => [global === globalThis, process.env.GREETING, process.platform, process.version.startsWith("v22."), typeof process.exit];' };
    expect(payloadOf(await run(files))).toEqual([true, 'hello', 'linux', true, 'undefined']);
  });
});
