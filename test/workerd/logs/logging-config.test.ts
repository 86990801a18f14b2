// LoggingConfig: what Create/Update/GetFunctionConfiguration store and answer (levels only with
// JSON, defaulting to INFO; a LoggingConfig replaces the whole setting; levels with Text refused),
// and what an invocation writes with it: JSON application records and platform events, each
// filtered by its level, to the custom group when there is one, the same lines in LogType Tail,
// and a published version keeps the config it was published with.
import { describe, expect, it } from 'vitest';
import { createTenant, deploy, type Tenant } from '../support/signed-client';
import { eventually } from '../support/observe';
import { logsApi } from '../support/aws-json-client';
import type { FilteredEvent } from '../support/logs-client';
import { openTail, TailReader } from '../support/tail-reader';

const CHATTY = `
console.log("at init");
exports.handler = async (event) => {
  console.trace("t"); console.debug("d"); console.log("plain", 1); console.info({ key: "value" });
  console.warn("w"); console.error(new TypeError("bad input")); console.fatal("f");
  if (event.fail) throw new Error("boom");
  return "ok";
};`;

const configure = (tenant: Tenant, name: string, body: Record<string, unknown>) => tenant.send('PUT', `/2015-03-31/functions/${name}/configuration`, body);
const configuration = async (tenant: Tenant, name: string, qualifier?: string) =>
  (await (await tenant.send('GET', `/2015-03-31/functions/${name}/configuration${qualifier ? `?Qualifier=${qualifier}` : ''}`)).json()) as Record<string, unknown>;

async function invoke(tenant: Tenant, name: string, event: unknown = {}, qualifier?: string) {
  const response = await tenant.send('POST', `/2015-03-31/functions/${name}/invocations${qualifier ? `?Qualifier=${qualifier}` : ''}`, event, { 'X-Amz-Log-Type': 'Tail' });
  const tail = atob(response.headers.get('x-amz-log-result') ?? '');
  return { response, tail, lines: tail.split('\n').filter((l) => l !== '') };
}

/** Parsed JSON lines, each by its kind: the platform event's type, or the record's level. */
const kinds = (lines: string[]) => lines.map((l) => { const j = JSON.parse(l); return j.type ?? j.level; });

async function storedIn(tenant: Tenant, group: string, done: (events: FilteredEvent[]) => boolean): Promise<FilteredEvent[]> {
  const read = () => logsApi.call<{ events?: FilteredEvent[] }>(tenant, 'FilterLogEvents', { logGroupName: group }).catch(() => ({ events: [] }));
  return (await eventually(read, (page) => done(page.events ?? []))).events ?? [];
}

describe('LoggingConfig in the API', () => {
  it('answers Text with the default group, JSON with both levels at INFO, and stores what a version snapshots', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'cfg', CHATTY);
    expect((await configuration(tenant, 'cfg')).LoggingConfig).toEqual({ LogFormat: 'Text', LogGroup: '/aws/lambda/cfg' });

    const updated = await configure(tenant, 'cfg', { LoggingConfig: { LogFormat: 'JSON' } });
    expect(updated.status).toBe(200);
    expect(((await updated.json()) as Record<string, unknown>).LoggingConfig).toEqual({ LogFormat: 'JSON', ApplicationLogLevel: 'INFO', SystemLogLevel: 'INFO', LogGroup: '/aws/lambda/cfg' });

    const published = await tenant.send('POST', '/2015-03-31/functions/cfg/versions', {});
    expect(published.status).toBe(201);
    // A LoggingConfig replaces the whole setting: no LogFormat is Text, and the group goes back to the default.
    await configure(tenant, 'cfg', { LoggingConfig: { LogGroup: '/custom/shared' } });
    expect((await configuration(tenant, 'cfg')).LoggingConfig).toEqual({ LogFormat: 'Text', LogGroup: '/custom/shared' });
    await configure(tenant, 'cfg', { LoggingConfig: {} });
    expect((await configuration(tenant, 'cfg')).LoggingConfig).toEqual({ LogFormat: 'Text', LogGroup: '/aws/lambda/cfg' });
    expect((await configuration(tenant, 'cfg', '1')).LoggingConfig).toEqual({ LogFormat: 'JSON', ApplicationLogLevel: 'INFO', SystemLogLevel: 'INFO', LogGroup: '/aws/lambda/cfg' });
  }, 60_000); // The file's first test also pays for starting its Worker.

  it('refuses levels with Text (also when LogFormat is left out), and malformed members, in AWS\'s words', async () => {
    const tenant = await createTenant();
    const create = await tenant.send('POST', '/2015-03-31/functions', {
      FunctionName: 'x', Runtime: 'nodejs22.x', Role: 'arn:aws:iam::123456789012:role/r', Handler: 'index.handler', Code: { ZipFile: 'UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==' },
      LoggingConfig: { LogFormat: 'Text', ApplicationLogLevel: 'WARN' },
    });
    expect(create.status).toBe(400);
    expect(create.headers.get('x-amzn-errortype')).toBe('InvalidParameterValueException');
    expect(((await create.json()) as { message: string }).message)
      .toBe('LogLevel is not supported when LogFormat is set to "Text". Remove LogLevel from your request or change the LogFormat to "JSON" and try again.');

    await deploy(tenant, 'v', CHATTY, { LoggingConfig: { LogFormat: 'JSON', SystemLogLevel: 'WARN' } });
    expect((await configuration(tenant, 'v')).LoggingConfig).toEqual({ LogFormat: 'JSON', ApplicationLogLevel: 'INFO', SystemLogLevel: 'WARN', LogGroup: '/aws/lambda/v' });
    const levelsOnly = await configure(tenant, 'v', { LoggingConfig: { ApplicationLogLevel: 'ERROR' } });
    expect(levelsOnly.status).toBe(400);
    expect(levelsOnly.headers.get('x-amzn-errortype')).toBe('InvalidParameterValueException');

    const malformed = await configure(tenant, 'v', { LoggingConfig: { LogFormat: 'Xml', LogGroup: 'has space' } });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { message: string }).message).toBe(
      "2 validation errors detected: Value 'Xml' at 'loggingConfig.logFormat' failed to satisfy constraint: Member must satisfy enum value set: [JSON, Text]; "
      + "Value 'has space' at 'loggingConfig.logGroup' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+",
    );
  });
});

describe('an invocation with LoggingConfig', () => {
  it('keeps Text\'s lines exactly, every level included', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'text', CHATTY);
    const { lines } = await invoke(tenant, 'text');
    expect(lines[0]).toMatch(/^START RequestId: \S+ Version: \$LATEST$/);
    // Console lines (a trace's or an error's stack continues on lines of their own).
    const levels = lines.filter((l) => /^\d{4}-\d\d-\d\dT[^\t]+\t\S+\t[A-Z]+\t/.test(l)).map((l) => l.split('\t')[2]);
    expect(levels).toEqual(['INFO', 'TRACE', 'DEBUG', 'INFO', 'INFO', 'WARN', 'ERROR', 'FATAL']);
    expect(lines.at(-1)).toMatch(/^REPORT RequestId: /);
  });

  it('writes JSON records and platform events, INFO and above by default, in the tail and the store alike', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'json', CHATTY, { LoggingConfig: { LogFormat: 'JSON' } });
    const { response, lines } = await invoke(tenant, 'json');
    const requestId = response.headers.get('x-amzn-requestid')!;
    expect(kinds(lines)).toEqual(['platform.initStart', 'platform.start', 'INFO', 'INFO', 'INFO', 'WARN', 'ERROR', 'FATAL', 'platform.report']);
    const [initStart, start, atInit, plain, object, , error] = lines.map((l) => JSON.parse(l));
    expect(initStart).toMatchObject({ type: 'platform.initStart', record: { initializationType: 'on-demand', phase: 'init', functionName: 'json', functionVersion: '$LATEST' } });
    expect(start).toEqual({ time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), type: 'platform.start', record: { requestId, version: '$LATEST' } });
    expect(atInit).toEqual({ timestamp: expect.stringMatching(/Z$/), level: 'INFO', requestId, message: 'at init' });
    expect(plain.message).toBe('plain 1');
    expect(object.message).toEqual({ key: 'value' });
    expect(error.message).toMatchObject({ errorType: 'TypeError', errorMessage: 'bad input', stackTrace: expect.arrayContaining(['TypeError: bad input']) });
    const report = JSON.parse(lines.at(-1)!);
    expect(report.record).toMatchObject({ requestId, status: 'success', metrics: { memorySizeMB: 128, billedDurationMs: expect.any(Number), initDurationMs: expect.any(Number) } });

    const kept = await storedIn(tenant, '/aws/lambda/json', (events) => events.some((e) => e.message.includes('"platform.report"')));
    expect(kept.map((e) => e.message)).toEqual(lines);
    // A warm invocation has no init event.
    expect(kinds((await invoke(tenant, 'json')).lines)[0]).toBe('platform.start');
  });

  it('filters application records and platform events by their levels, both ways', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'verbose', CHATTY, { LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'TRACE', SystemLogLevel: 'DEBUG' } });
    expect(kinds((await invoke(tenant, 'verbose')).lines)).toEqual([
      'platform.initStart', 'platform.start', 'INFO', 'TRACE', 'DEBUG', 'INFO', 'INFO', 'WARN', 'ERROR', 'FATAL',
      'platform.initRuntimeDone', 'platform.initReport', 'platform.runtimeDone', 'platform.report',
    ]);

    await deploy(tenant, 'quiet', CHATTY, { LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'ERROR', SystemLogLevel: 'WARN' } });
    expect(kinds((await invoke(tenant, 'quiet')).lines)).toEqual(['ERROR', 'FATAL']);
    // A failure's platform events are WARN, and the runtime's record of the error is ERROR.
    const failed = await invoke(tenant, 'quiet', { fail: true });
    expect(failed.response.headers.get('x-amz-function-error')).toBe('Unhandled');
    expect(kinds(failed.lines)).toEqual(['ERROR', 'FATAL', 'ERROR', 'platform.runtimeDone', 'platform.report']);
    const [, , invokeError, runtimeDone] = failed.lines.map((l) => JSON.parse(l));
    expect(invokeError.message).toMatchObject({ errorType: 'Error', errorMessage: 'boom' });
    expect(runtimeDone.record).toMatchObject({ status: 'error', errorType: 'Error' });

    // The runtime sees the level as Lambda's does.
    await deploy(tenant, 'env', 'exports.handler = async () => [process.env.AWS_LAMBDA_LOG_FORMAT, process.env.AWS_LAMBDA_LOG_LEVEL ?? null];',
      { LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'WARN' } });
    expect(await (await invoke(tenant, 'env')).response.json()).toEqual(['JSON', 'WARN']);
  });

  it('writes to a custom log group, which the logs API and the live tail find', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'grouped', 'exports.handler = async () => { console.log("to the custom group"); return 1; };', { LoggingConfig: { LogGroup: '/custom/app-logs' } });
    // Tailable before its first line: a function names it.
    const reader = new TailReader(await openTail(tenant, 'logGroupName=/custom/app-logs'));
    try {
      await invoke(tenant, 'grouped');
      const [first] = await reader.take(1);
      expect(first.message).toMatch(/^START RequestId: /);
    } finally {
      await reader.close();
    }
    const kept = await storedIn(tenant, '/custom/app-logs', (events) => events.some((e) => e.message.startsWith('REPORT ')));
    expect(kept.some((e) => e.message.endsWith('\tINFO\tto the custom group'))).toBe(true);
    expect(kept[0].logStreamName).toMatch(/^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/);
    const defaultGroup = await logsApi.response(tenant, 'FilterLogEvents', { logGroupName: '/aws/lambda/grouped' });
    expect(await logsApi.error(defaultGroup, 'ResourceNotFoundException')).toBe('The specified log group does not exist.');
  });
});
