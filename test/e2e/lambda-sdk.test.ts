// End to end: a real `wrangler dev`, driven by @aws-sdk/client-lambda as a Lambda user would.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CreateFunctionCommand, DeleteFunctionCommand, GetFunctionCommand, InvokeCommand, LambdaClient,
  ListFunctionsCommand, UpdateFunctionCodeCommand, UpdateFunctionConfigurationCommand, GetAccountSettingsCommand,
  type InvokeCommandOutput,
} from '@aws-sdk/client-lambda';
import { useDevServer } from './support/harness';
import { fixtureZip, ROLE, zipOf } from './support/bundles';

const server = useDevServer();
let lambda: LambdaClient;

const decode = (output: InvokeCommandOutput) => JSON.parse(new TextDecoder().decode(output.Payload));

function clientFor(accessKeyId: string, secretAccessKey: string) {
  return server.client(LambdaClient, { credentials: { accessKeyId, secretAccessKey } });
}

async function deploy(name: string, zip: Uint8Array, extra: Record<string, unknown> = {}) {
  await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zip }, ...extra }));
}

async function invoke(name: string, payload: unknown = {}, extra: Record<string, unknown> = {}) {
  return lambda.send(new InvokeCommand({ FunctionName: name, Payload: new TextEncoder().encode(JSON.stringify(payload)), ...extra }));
}

beforeAll(() => {
  lambda = server.client(LambdaClient);
});

describe('deploy and invoke', () => {
  it('creates a function from a zip, invokes it, and keeps globals warm', async () => {
    await deploy('echo', fixtureZip('echo.js'), { Environment: { Variables: { GREETING: 'hello' } } });
    const first = await invoke('echo', { n: 1 });
    expect(first.StatusCode).toBe(200);
    expect(first.FunctionError).toBeUndefined();
    expect(first.ExecutedVersion).toBe('$LATEST');
    expect(decode(first)).toMatchObject({ event: { n: 1 }, invocations: 1, memory: '128', region: 'us-east-1', greeting: 'hello' });
    expect(decode(await invoke('echo', { n: 2 }))).toMatchObject({ invocations: 2 });
  });

  it('returns the log tail with START, the console line, END and REPORT', async () => {
    const output = await invoke('echo', { tail: true }, { LogType: 'Tail' });
    const log = Buffer.from(output.LogResult!, 'base64').toString();
    expect(log).toMatch(/^START RequestId: [0-9a-f-]{36} Version: \$LATEST$/m);
    expect(log).toMatch(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z\t[0-9a-f-]{36}\tINFO\techo {"tail":true}$/m);
    expect(log).toMatch(/^END RequestId: [0-9a-f-]{36}$/m);
    expect(log).toMatch(/^REPORT RequestId: [0-9a-f-]{36}\tDuration: \d+\.\d{2} ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\t/m);
  });

  it('reports a thrown error as Unhandled with errorType, errorMessage and trace', async () => {
    await deploy('throws', fixtureZip('throws.js'));
    const output = await invoke('throws');
    expect(output.FunctionError).toBe('Unhandled');
    const error = decode(output);
    expect(error.errorType).toBe('ReferenceError');
    expect(error.errorMessage).toMatch(/notDefined/);
    expect(Array.isArray(error.trace)).toBe(true);
    expect(JSON.stringify(error)).not.toMatch(/quickjs|sandbox\/host|node_modules/);
  });

  it('answers DryRun with 204 and refuses a payload that is not JSON', async () => {
    expect((await invoke('echo', {}, { InvocationType: 'DryRun' })).StatusCode).toBe(204);
    await expect(lambda.send(new InvokeCommand({ FunctionName: 'echo', Payload: new TextEncoder().encode('{not json') }))).rejects.toMatchObject({
      name: 'InvalidRequestContentException',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('reports init failures in Lambda shapes', async () => {
    await deploy('syntax', fixtureZip('syntax-error.js'));
    expect(decode(await invoke('syntax')).errorType).toBe('Runtime.UserCodeSyntaxError');
    await deploy('no-handler', fixtureZip('echo.js'), { Handler: 'index.missing' });
    expect(decode(await invoke('no-handler')).errorType).toBe('Runtime.HandlerNotFound');
    await deploy('no-module', fixtureZip('echo.js'), { Handler: 'nothere.handler' });
    expect(decode(await invoke('no-module')).errorType).toBe('Runtime.ImportModuleError');
    await deploy('bad-handler', fixtureZip('echo.js'), { Handler: 'index' });
    expect(decode(await invoke('bad-handler')).errorType).toBe('Runtime.MalformedHandlerName');
  });

  it('runs ESM bundles with relative imports and top-level await', async () => {
    await deploy('esm', zipOf({
      'index.mjs': "import { double } from './lib/math.mjs';\nconst base = await Promise.resolve(20);\nexport const handler = async (event) => double(base + event.n);",
      'lib/math.mjs': 'export const double = (x) => x * 2;',
    }), { Handler: 'index.handler' });
    expect(decode(await invoke('esm', { n: 1 }))).toBe(42);
  });

  it('updates code and configuration, lists and deletes', async () => {
    await deploy('changing', zipOf({ 'index.js': 'exports.handler = async () => "v1";' }));
    expect(decode(await invoke('changing'))).toBe('v1');
    await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'changing', ZipFile: zipOf({ 'index.js': 'exports.handler = async () => "v2:" + process.env.MODE;' }) }));
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'changing', Environment: { Variables: { MODE: 'blue' } } }));
    expect(decode(await invoke('changing'))).toBe('v2:blue');
    const got = await lambda.send(new GetFunctionCommand({ FunctionName: 'changing' }));
    const zip = new Uint8Array(await (await fetch(got.Code!.Location!)).arrayBuffer());
    expect(zip[0]).toBe(0x50); // "PK"
    const listed = await lambda.send(new ListFunctionsCommand({}));
    expect(listed.Functions!.map((f) => f.FunctionName)).toContain('changing');
    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'changing' }));
    await expect(invoke('changing')).rejects.toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
    const settings = await lambda.send(new GetAccountSettingsCommand({}));
    expect(settings.AccountLimit?.ConcurrentExecutions).toBe(1000);
  });
});

describe('signatures', () => {
  it('refuses a wrong secret and an unknown key', async () => {
    const wrong = clientFor(server.accessKeyId, 'not-the-secret');
    await expect(wrong.send(new ListFunctionsCommand({}))).rejects.toMatchObject({ name: 'InvalidSignatureException', $metadata: { httpStatusCode: 403 } });
    const unknown = clientFor('AKIANOSUCHKEY0000000', 'x');
    await expect(unknown.send(new ListFunctionsCommand({}))).rejects.toMatchObject({ name: 'UnrecognizedClientException', $metadata: { httpStatusCode: 403 } });
  });

  it('refuses an unsigned request', async () => {
    const response = await fetch(`${server.endpoint}/2015-03-31/functions/`);
    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
  });
});

describe('hostile functions are contained, and a healthy one answers right after each', () => {
  const hostile: [string, string, number, (error: { errorType: string; errorMessage: string }) => void][] = [
    ['infinite-loop.js', 'loop', 1, (e) => expect(e).toMatchObject({ errorType: 'Sandbox.Timedout', errorMessage: expect.stringMatching(/Task timed out after 1\.00 seconds/) })],
    ['promise-chain.js', 'chain', 1, (e) => expect(e.errorType).toBe('Sandbox.Timedout')],
    ['never-resolves.js', 'never', 1, (e) => expect(e.errorType).toBe('Sandbox.Timedout')],
    ['alloc-bomb-array.js', 'bomb-array', 10, (e) => expect(e.errorType).toBe('Runtime.OutOfMemory')],
    ['alloc-bomb-flat-string.js', 'bomb-string', 30, (e) => expect(e.errorType).toBe('Runtime.OutOfMemory')],
    ['alloc-bomb-string.js', 'rope-string', 10, (e) => expect(e).toMatchObject({ errorType: 'InternalError', errorMessage: 'string too long' })],
    ['alloc-bomb-object.js', 'bomb-object', 10, (e) => expect(e.errorType).toBe('Runtime.OutOfMemory')],
    ['deep-recursion.js', 'recursion', 3, (e) => expect(e.errorType).toMatch(/RangeError|InternalError/)],
    ['huge-result.js', 'huge', 5, (e) => expect(e.errorType).toBe('Function.ResponseSizeTooLarge')],
  ];

  beforeAll(async () => {
    await deploy('healthy', fixtureZip('echo.js'));
  });

  it.each(hostile)('%s fails alone with a clear error', async (fixture, name, timeout, check) => {
    await deploy(name, fixtureZip(fixture), { Timeout: timeout });
    const output = await invoke(name);
    expect(output.FunctionError).toBe('Unhandled');
    check(decode(output));
    const healthy = await invoke('healthy', { after: name });
    expect(healthy.FunctionError).toBeUndefined();
    expect(decode(healthy)).toMatchObject({ event: { after: name } });
  });

  it('truncates a console flood visibly and keeps the REPORT line', async () => {
    await deploy('flood', fixtureZip('console-flood.js'), { Timeout: 30 });
    const output = await invoke('flood', {}, { LogType: 'Tail' });
    expect(decode(output)).toBe('flooded');
    const log = Buffer.from(output.LogResult!, 'base64').toString();
    expect(log).toMatch(/truncated/);
    expect(log).toMatch(/^REPORT RequestId: /m);
  });

  it('a timer left running after return does not run into the next invocation', async () => {
    await deploy('timer', fixtureZip('timer-left-running.js'));
    expect(decode(await invoke('timer', { start: true }))).toEqual({ ticks: 0 });
    await new Promise((r) => setTimeout(r, 200));
    const next = await invoke('timer', {}, { LogType: 'Tail' });
    expect(decode(next)).toEqual({ ticks: 0 });
    expect(Buffer.from(next.LogResult!, 'base64').toString()).not.toMatch(/tick/);
  });
});

describe('state survives a restart of wrangler dev', () => {
  it('keeps functions and code', async () => {
    await deploy('durable', zipOf({ 'index.js': 'exports.handler = async () => "still here";' }));
    await server.restart();
    lambda.destroy();
    lambda = server.client(LambdaClient);
    expect(decode(await invoke('durable'))).toBe('still here');
  });
});
