// Python functions on MicroPython: Lambda's Python handler conventions, its error shapes, a
// package of several modules, warm reuse and init once, through the same pool as JavaScript.
import { afterAll, describe, expect, it } from 'vitest';
import { EnvironmentPool, type InvocationReport } from '../../../sandbox';
import conventions from '../../fixtures/functions/python/conventions.py?raw';
import hello from '../../fixtures/functions/python/hello.py?raw';
import importError from '../../fixtures/functions/python/import_error.py?raw';
import pkgInit from '../../fixtures/functions/python/pkg/__init__.py?raw';
import pkgHelpers from '../../fixtures/functions/python/pkg/helpers.py?raw';
import pkgMod from '../../fixtures/functions/python/pkg/mod.py?raw';
import raises from '../../fixtures/functions/python/raises.py?raw';
import syntaxError from '../../fixtures/functions/python/syntax_error.py?raw';
import unserialisable from '../../fixtures/functions/python/unserialisable.py?raw';
import util from '../../fixtures/functions/python/util.py?raw';
import { capabilities, inputFor, payloadOf, specFor } from './support';

const pool = new EnvironmentPool({ budgetBytes: 512 * 1024 * 1024 });
afterAll(() => pool.dispose());

const python = (files: Record<string, string>, handler: string, overrides = {}) => specFor(files, { runtime: 'python3.12', handler, ...overrides });

function replyOf(report: InvocationReport): unknown {
  if (report.result.kind !== 'failure') throw new Error(`expected a failure, got ${JSON.stringify(report.result)}`);
  return report.result.error.reply;
}

describe('a Python function', () => {
  it("runs Lambda's hello world and returns its result as JSON", async () => {
    const report = await pool.invoke(python({ 'lambda_function.py': hello }, 'lambda_function.lambda_handler'), inputFor({}), capabilities());
    expect(report.result).toEqual({ kind: 'success', payloadJson: '{"statusCode": 200, "body": "\\"Hello from Lambda!\\""}' });
    expect(report.initDurationMs).toBeTypeOf('number');
  });

  it('gets the event as Python objects, the context, os.environ, and prints and logs in Lambda formats', async () => {
    const spec = python({ 'app.py': conventions }, 'app.handler');
    const input = inputFor({ a: [1, 2.5, null, true, 'é'] });
    const report = await pool.invoke(spec, input, capabilities());
    expect(payloadOf(report)).toEqual({
      event: { a: [1, 2.5, null, true, 'é'] }, invocations: 1, init_runs: 1, request_id: input.requestId, function_name: 'fn',
      function_version: '$LATEST', arn: input.invokedFunctionArn, memory: '128', group: '/aws/lambda/fn', stream: report.logStreamName,
      remaining_positive: true, region: 'us-east-1', greeting: 'hello', getenv: 'hello', env_stream: report.logStreamName,
    });
    const lines = report.console.map((record) => ({ level: record.level, message: record.message, raw: record.raw }));
    expect(lines[0]).toEqual({ level: 'INFO', message: 'init ran', raw: true });
    expect(lines[1]).toEqual({ level: 'INFO', message: 'event {"a": [1, 2.5, null, true, "é"]}', raw: true });
    expect(lines[2].message).toMatch(new RegExp(`^\\[INFO\\]\\t\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\\t${input.requestId}\\tinfo line$`));
    expect(lines[3]).toMatchObject({ level: 'WARN', raw: true });
    expect(lines[3].message).toMatch(/^\[WARNING\]\t\S+Z\t\S+\tcareful$/);
  });

  it('writes logging records as JSON fields with their levels with LoggingConfig JSON (the control plane applies the level)', async () => {
    const spec = python({ 'app.py': conventions }, 'app.handler', { logFormat: 'JSON', applicationLogLevel: 'WARN' });
    const report = await pool.invoke(spec, inputFor({}), capabilities());
    const records = report.console.filter((record) => !record.raw);
    expect(records).toEqual([
      expect.objectContaining({ level: 'INFO', message: '{"message": "info line", "logger": "root"}' }),
      expect.objectContaining({ level: 'WARN', message: '{"message": "careful", "logger": "child"}' }),
    ]);
  });

  it('runs module-level code once per environment and keeps its state warm', async () => {
    const spec = python({ 'app.py': conventions }, 'app.handler');
    const first = await pool.invoke(spec, inputFor({}), capabilities());
    const second = await pool.invoke(spec, inputFor({}), capabilities());
    expect(payloadOf(first)).toMatchObject({ invocations: 1, init_runs: 1 });
    expect(payloadOf(second)).toMatchObject({ invocations: 2, init_runs: 1 });
    expect(second.initDurationMs).toBeUndefined();
    expect(second.logStreamName).toBe(first.logStreamName);
    expect(second.console.map((record) => record.message)).not.toContain('init ran');
  });

  it("collects an invocation's garbage before the next one (the port collects only between calls)", async () => {
    // About 16 MiB of short-lived strings per invocation, five times, under a 48 MiB cap.
    const handler = "def handler(event, context):\n    total = 0\n    for i in range(4000):\n        total += len('x' * 4000 + str(i))\n    return total\n";
    const spec = python({ 'app.py': handler }, 'app.handler', { memoryLimitBytes: 48 * 1024 * 1024 });
    const streams = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const report = await pool.invoke(spec, inputFor(), capabilities());
      expect(payloadOf(report)).toBeGreaterThan(16_000_000);
      streams.add(report.logStreamName);
    }
    expect(streams.size).toBe(1);
  });

  it('imports a package of several modules, by dots and by slashes', async () => {
    const files = { 'pkg/__init__.py': pkgInit, 'pkg/helpers.py': pkgHelpers, 'pkg/mod.py': pkgMod, 'util.py': util };
    for (const handler of ['pkg.mod.fn', 'pkg/mod.fn']) {
      const report = await pool.invoke(python(files, handler), inputFor({ text: 'hi' }), capabilities());
      expect(payloadOf(report)).toEqual({ shout: 'HI!', util: 42 });
    }
  });
});

describe('a Python function with layers', () => {
  it("imports modules of its layers' python/ and python/lib/python3.NN/site-packages directories, a later layer winning", async () => {
    const handler = 'import shared\nimport vendored\n\ndef handler(event, context):\n    return [shared.NAME, vendored.NAME]\n';
    const spec = python({ 'app.py': handler }, 'app.handler', {
      layerFiles: [
        { 'python/shared.py': "NAME = 'first'", 'python/lib/python3.12/site-packages/vendored.py': "NAME = 'site-packages'" },
        { 'python/shared.py': "NAME = 'second'" },
      ],
    });
    expect(payloadOf(await pool.invoke(spec, inputFor(), capabilities()))).toEqual(['second', 'site-packages']);
  });
});

describe("a Python function's errors, as Lambda's Python runtime reports them", () => {
  it('reports a raised exception with its frames as strings', async () => {
    const input = inputFor({ n: 7 });
    const report = await pool.invoke(python({ 'raises.py': raises }, 'raises.handler'), input, capabilities());
    expect(report.result).toMatchObject({ kind: 'failure', reason: 'function-error' });
    expect(replyOf(report)).toEqual({
      errorMessage: 'boom 7', errorType: 'ValueError', requestId: input.requestId,
      stackTrace: [
        '  File "/var/task/raises.py", line 2, in handler\n    return helper(event)\n',
        "  File \"/var/task/raises.py\", line 6, in helper\n    raise ValueError('boom ' + str(event.get('n')))\n",
      ],
    });
    const logged = report.console.at(-1)!;
    expect(logged).toMatchObject({ level: 'ERROR', raw: true });
    expect(logged.message.split('\n').slice(0, 3)).toEqual(['[ERROR] ValueError: boom 7', 'Traceback (most recent call last):', '\u00a0\u00a0File "/var/task/raises.py", line 2, in handler']);
  });

  it('keeps the environment after a function error', async () => {
    const spec = python({ 'raises.py': raises }, 'raises.handler');
    const first = await pool.invoke(spec, inputFor({}), capabilities());
    const second = await pool.invoke(spec, inputFor({}), capabilities());
    expect(second.logStreamName).toBe(first.logStreamName);
  });

  it('reports a missing module as Runtime.ImportModuleError', async () => {
    const report = await pool.invoke(python({ 'app.py': importError }, 'app.handler'), inputFor(), capabilities());
    expect(report.result).toMatchObject({ kind: 'failure', reason: 'import-module-error' });
    expect(replyOf(report)).toEqual({ errorMessage: "Unable to import module 'app': No module named 'not_a_module_anywhere'", errorType: 'Runtime.ImportModuleError', requestId: '', stackTrace: [] });
  });

  it('reports a handler module that does not exist as Runtime.ImportModuleError', async () => {
    const report = await pool.invoke(python({ 'app.py': hello }, 'nothere.handler'), inputFor(), capabilities());
    expect(replyOf(report)).toMatchObject({ errorMessage: "Unable to import module 'nothere': No module named 'nothere'", errorType: 'Runtime.ImportModuleError' });
  });

  it.each([
    ['a missing handler function', 'app.missing', 'handler-not-found', 'Runtime.HandlerNotFound', "Handler 'missing' missing on module 'app'"],
    ['a handler without a dot', 'app', 'malformed-handler', 'Runtime.MalformedHandlerName', "Bad handler 'app': not enough values to unpack (expected 2, got 1)"],
  ])('reports %s as its Runtime error', async (_, handler, reason, errorType, errorMessage) => {
    const report = await pool.invoke(python({ 'app.py': hello }, handler), inputFor(), capabilities());
    expect(report.result).toMatchObject({ kind: 'failure', reason });
    expect(replyOf(report)).toEqual({ errorMessage, errorType, requestId: '', stackTrace: [] });
  });

  it('reports a syntax error as Runtime.UserCodeSyntaxError with its line', async () => {
    const report = await pool.invoke(python({ 'broken.py': syntaxError }, 'broken.handler'), inputFor(), capabilities());
    expect(report.result).toMatchObject({ kind: 'failure', reason: 'syntax-error' });
    expect(replyOf(report)).toMatchObject({ errorType: 'Runtime.UserCodeSyntaxError', errorMessage: expect.stringMatching(/^Syntax error in module 'broken': invalid syntax \(broken\.py, line \d\)$/) });
  });

  it('reports a result that is not JSON as Runtime.MarshalError', async () => {
    const report = await pool.invoke(python({ 'app.py': unserialisable }, 'app.handler'), inputFor(), capabilities());
    expect(replyOf(report)).toMatchObject({ errorType: 'Runtime.MarshalError', errorMessage: 'Unable to marshal response: Object of type Thing is not JSON serializable' });
  });
});
