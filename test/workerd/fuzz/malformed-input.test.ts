// Seeded fuzzing of every Lambda route and every SQS, CloudWatch Logs, EventBridge and X-Ray
// operation of one tenant with malformed and random input: no answer may be a 5xx, and a refused
// request (4xx) may change no state. Replay a failure with FAASBOX_FUZZ_SEED=<seed> (docs/SECURITY.md).
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { zipSync, strToU8 } from 'fflate';
import { createTenant, signedClient, type Tenant, type TestClient } from '../support/signed-client';
import { ROLE, zipBase64 } from '../support/zip';

declare module 'vitest' {
  export interface ProvidedContext {
    fuzzSeed: string;
  }
}

/** Requests per service: a few hundred each, seeded, so a run stays well under a minute here. */
const REQUESTS_PER_SERVICE = 200;
/** The seed of this run: FAASBOX_FUZZ_SEED (a number, or `random`), else a fixed one so CI is reproducible. */
const SEED = ((): number => {
  const given = inject('fuzzSeed');
  if (given === 'random') return Math.floor(Math.random() * 2 ** 31);
  return given ? Number(given) : 20261201;
})();

/** mulberry32: small, fast and the same on every machine. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)];
  const chance = (p: number) => next() < p;
  return { next, int, pick, chance };
}
type Random = ReturnType<typeof generator>;

const STRINGS = [
  '', ' ', 'a', 'x'.repeat(65), 'x'.repeat(257), 'y'.repeat(70_000), '0', '-1', '1.5', '1e400', 'NaN', 'null', 'true', '[]', '{}',
  '../../etc/passwd', '%', '%ZZ', '%E0%A4%A', '/', '//', '\\', '\u0000', '\r\n', 'a\r\nSet-Cookie: x=1', '\ud800', '\udfff\ud800',
  '💥'.repeat(50), 'ﷺ', '\u202eevil', 'Ω≈ç√', '"', '"unterminated', '{ $.x = 1 }', '[a, b]', '?a', '*', '$LATEST', '$latest',
  'arn:aws:lambda:us-east-1:123456789012:function:x', 'arn:aws:sqs:us-east-1:123456789012:q', 'arn:aws:sqs:zz-1:1:', 'rate(0 minutes)',
  'cron(99 99 * * ? *)', 'rate(1 minute)', 'nodejs22.x', 'python3.12', 'index.handler', '<script>', "'; DROP TABLE x; --", 'f/1', 'b/-5',
  '123456789012', '999999999999999999999', 'AKIA0000000000000000', 'NONE', 'AWS_IAM', 'BUFFERED', 'RESPONSE_STREAM', 'ENABLED', 'All',
];
const NUMBERS = [0, -1, 1, 2, 3, 1.5, -0.0, 1e308, -1e308, 2 ** 53, 2 ** 31, 900, 901, 10_000, 10_001, 86_400, 1_209_600];

/** A random JSON value, biased toward the wrong types and the edges. */
function value(r: Random, depth = 0): unknown {
  switch (r.int(depth > 2 ? 4 : 7)) {
    case 0: return r.pick(STRINGS);
    case 1: return r.pick(NUMBERS);
    case 2: return r.pick([true, false, null]);
    case 3: return String.fromCharCode(...Array.from({ length: r.int(20) }, () => r.int(0x10000)));
    case 4: return Array.from({ length: r.int(4) }, () => value(r, depth + 1));
    case 5: return Object.fromEntries(Array.from({ length: r.int(4) }, () => [r.pick(['Mode', 'Variables', 'ZipFile', 'Destination', 'Id', 'Arn', r.pick(STRINGS)]), value(r, depth + 1)]));
    default: return r.chance(0.5) ? r.pick(STRINGS) : r.int(1000);
  }
}

/** An input of `members`: each present or not, each a random value, plus now and then a stray key. */
function input(r: Random, members: readonly string[], valid: Record<string, () => unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const member of members) {
    if (!r.chance(0.6)) continue;
    out[member] = valid[member] && r.chance(0.5) ? valid[member]() : value(r);
  }
  if (r.chance(0.1)) out[r.pick(STRINGS)] = value(r);
  return out;
}

/** A body: mostly the input as JSON, sometimes not JSON at all, or JSON of the wrong shape. */
function body(r: Random, members: readonly string[], valid: Record<string, () => unknown> = {}): string {
  switch (r.int(10)) {
    case 0: return r.pick(['{', '{"a":', 'nul', '\u0000', '[1,2', '"', '{"a":1}}', '']);
    case 1: return JSON.stringify(value(r));
    case 2: return JSON.stringify(r.pick([[], 'x', 1, null]));
    default: return JSON.stringify(input(r, members, valid));
  }
}

const CONTENT_TYPES = ['application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x', ''];

/** A valid zip with a few bytes flipped, or random bytes: the zip rules at CreateFunction. */
function mangledZip(r: Random): string {
  const zip = zipSync({ 'index.js': strToU8('exports.handler = async (e) => e;'), 'lib/x.json': strToU8('{"a":1}') });
  if (r.chance(0.2)) return btoa(String.fromCharCode(...Array.from({ length: r.int(200) }, () => r.int(256))));
  for (let i = r.int(4) + 1; i > 0; i--) zip[r.int(zip.length)] = r.int(256);
  return btoa(String.fromCharCode(...zip));
}

interface Fixture {
  tenant: Tenant;
  sqs: TestClient;
  logs: TestClient;
  events: TestClient;
  xray: TestClient;
  queueUrl: string;
}

interface Fuzzed {
  describe: string;
  send: () => Promise<Response>;
}

/** Names of fixtures a destructive operation must not be given (deleting them would be a success, not a bug). */
const FUNCTION = 'fuzz-fn';
const QUEUE = 'fuzz-q';
const RULE = 'fuzz-rule';
const GROUP = `/aws/lambda/${FUNCTION}`;

function pathParam(r: Random, real: string | undefined): string {
  const raw = real !== undefined && r.chance(0.5) ? real : r.pick(STRINGS);
  // Lone surrogates cannot be percent-encoded: they go raw (the URL parser replaces them).
  const bare = () => raw.replace(/[\s/?#%]/g, '_');
  let encoded: string;
  try {
    encoded = r.chance(0.8) ? encodeURIComponent(raw) : bare();
  } catch {
    encoded = bare();
  }
  return encoded.slice(0, 2000);
}

function query(r: Random, members: readonly string[]): string {
  const params = new URLSearchParams();
  for (const member of members) if (r.chance(0.5)) params.set(member, String(r.chance(0.3) ? r.int(100) : r.pick(STRINGS)).slice(0, 2000));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** One random Lambda API request: a route, its path parameters, query, headers and body. */
function lambdaRequest(r: Random, fx: Fixture): Fuzzed {
  const fn = (destructive = false) => pathParam(r, destructive ? undefined : FUNCTION);
  const valid = {
    FunctionName: () => `fz${r.int(1000)}`, Runtime: () => 'nodejs22.x', Role: () => ROLE, Handler: () => 'index.handler',
    Code: () => ({ ZipFile: r.chance(0.7) ? mangledZip(r) : zipBase64({ 'index.js': 'exports.handler = async () => 1;' }) }),
    ZipFile: () => mangledZip(r), Timeout: () => r.int(1000), MemorySize: () => r.int(11_000),
    AuthType: () => r.pick(['NONE', 'AWS_IAM']), Name: () => `a${r.int(100)}`, FunctionVersion: () => r.pick(['$LATEST', '1', '2']),
    EventSourceArn: () => `arn:aws:sqs:us-east-1:${fx.tenant.accountId}:${QUEUE}`, StatementId: () => `s${r.int(100)}`,
    Action: () => 'lambda:InvokeFunctionUrl', Principal: () => '*', ReservedConcurrentExecutions: () => r.int(2000) - 100,
  };
  const CONFIG = ['Timeout', 'MemorySize', 'Handler', 'Runtime', 'Description', 'Environment', 'RevisionId', 'TracingConfig', 'DeadLetterConfig', 'Role'];
  const routes: [string, () => string, readonly string[], readonly string[]][] = [
    ['POST', () => '/2015-03-31/functions', ['FunctionName', 'Runtime', 'Role', 'Handler', 'Code', 'Publish', ...CONFIG], []],
    ['GET', () => '/2015-03-31/functions', [], ['MaxItems', 'Marker', 'FunctionVersion']],
    ['GET', () => `/2015-03-31/functions/${fn()}`, [], ['Qualifier']],
    ['GET', () => `/2015-03-31/functions/${fn()}/configuration`, [], ['Qualifier']],
    ['PUT', () => `/2015-03-31/functions/${fn()}/configuration`, CONFIG, []],
    ['PUT', () => `/2015-03-31/functions/${fn()}/code`, ['ZipFile', 'Publish', 'RevisionId', 'S3Bucket'], []],
    ['DELETE', () => `/2015-03-31/functions/${fn(true)}`, [], ['Qualifier']],
    ['POST', () => `/2015-03-31/functions/${fn()}/invocations`, ['key', 'Records'], ['Qualifier']],
    ['GET', () => '/2016-08-19/account-settings', [], []],
    ['PUT', () => `/2017-10-31/functions/${fn()}/concurrency`, ['ReservedConcurrentExecutions'], []],
    ['DELETE', () => `/2017-10-31/functions/${fn(true)}/concurrency`, [], []],
    ['GET', () => `/2019-09-30/functions/${fn()}/concurrency`, [], []],
    ['GET', () => `/2019-09-25/functions/${fn()}/event-invoke-config`, [], ['Qualifier']],
    ['PUT', () => `/2019-09-25/functions/${fn()}/event-invoke-config`, ['MaximumRetryAttempts', 'MaximumEventAgeInSeconds', 'DestinationConfig'], ['Qualifier']],
    ['POST', () => `/2019-09-25/functions/${fn()}/event-invoke-config`, ['MaximumRetryAttempts', 'MaximumEventAgeInSeconds', 'DestinationConfig'], ['Qualifier']],
    ['DELETE', () => `/2019-09-25/functions/${fn(true)}/event-invoke-config`, [], ['Qualifier']],
    ['GET', () => `/2019-09-25/functions/${fn()}/event-invoke-config/list`, [], ['MaxItems', 'Marker']],
    ['POST', () => `/2015-03-31/functions/${fn()}/versions`, ['CodeSha256', 'Description', 'RevisionId'], []],
    ['GET', () => `/2015-03-31/functions/${fn()}/versions`, [], ['MaxItems', 'Marker']],
    ['POST', () => `/2015-03-31/functions/${fn()}/aliases`, ['Name', 'FunctionVersion', 'Description', 'RoutingConfig'], []],
    ['GET', () => `/2015-03-31/functions/${fn()}/aliases`, [], ['MaxItems', 'Marker', 'FunctionVersion']],
    ['GET', () => `/2015-03-31/functions/${fn()}/aliases/${pathParam(r, 'live')}`, [], []],
    ['PUT', () => `/2015-03-31/functions/${fn()}/aliases/${pathParam(r, 'live')}`, ['FunctionVersion', 'Description', 'RoutingConfig', 'RevisionId'], []],
    ['DELETE', () => `/2015-03-31/functions/${fn()}/aliases/${pathParam(r, undefined)}`, [], []],
    ['POST', () => `/2021-10-31/functions/${fn()}/url`, ['AuthType', 'Cors', 'InvokeMode'], ['Qualifier']],
    ['GET', () => `/2021-10-31/functions/${fn()}/url`, [], ['Qualifier']],
    ['PUT', () => `/2021-10-31/functions/${fn()}/url`, ['AuthType', 'Cors', 'InvokeMode'], ['Qualifier']],
    ['DELETE', () => `/2021-10-31/functions/${fn(true)}/url`, [], ['Qualifier']],
    ['GET', () => `/2021-10-31/functions/${fn()}/urls`, [], ['MaxItems', 'Marker']],
    ['POST', () => `/2015-03-31/functions/${fn()}/policy`, ['StatementId', 'Action', 'Principal', 'SourceArn', 'SourceAccount', 'FunctionUrlAuthType', 'PrincipalOrgID', 'EventSourceToken', 'RevisionId'], ['Qualifier']],
    ['GET', () => `/2015-03-31/functions/${fn()}/policy`, [], ['Qualifier']],
    ['DELETE', () => `/2015-03-31/functions/${fn(true)}/policy/${pathParam(r, undefined)}`, [], ['Qualifier', 'RevisionId']],
    ['POST', () => '/2015-03-31/event-source-mappings', ['EventSourceArn', 'FunctionName', 'BatchSize', 'Enabled', 'MaximumBatchingWindowInSeconds', 'FunctionResponseTypes', 'ScalingConfig'], []],
    ['GET', () => '/2015-03-31/event-source-mappings', [], ['MaxItems', 'Marker', 'EventSourceArn', 'FunctionName']],
    ['GET', () => `/2015-03-31/event-source-mappings/${pathParam(r, undefined)}`, [], []],
    ['PUT', () => `/2015-03-31/event-source-mappings/${pathParam(r, undefined)}`, ['FunctionName', 'BatchSize', 'Enabled', 'MaximumBatchingWindowInSeconds'], []],
    ['DELETE', () => `/2015-03-31/event-source-mappings/${pathParam(r, undefined)}`, [], []],
    ['GET', () => `/api/code/${pathParam(r, undefined)}`, [], []],
  ];
  const [method, path, members, queryMembers] = r.pick(routes);
  const url = path() + query(r, queryMembers);
  const headers: Record<string, string> = {};
  if (r.chance(0.3)) headers['content-type'] = r.pick(CONTENT_TYPES);
  if (url.endsWith('/invocations') || url.includes('/invocations?')) {
    if (r.chance(0.5)) headers['x-amz-invocation-type'] = r.pick(['Event', 'DryRun', 'RequestResponse', 'bogus', '']);
    if (r.chance(0.3)) headers['x-amz-log-type'] = r.pick(['Tail', 'None', 'x']);
    if (r.chance(0.3)) headers['x-amz-client-context'] = r.pick(['', '%%%', btoa('{"custom":1}'), btoa('not json'), 'x'.repeat(5000)]);
  }
  // fetch cannot send a GET with a body; a DELETE may have one.
  const payload = method === 'GET' ? undefined : method === 'DELETE' ? (r.chance(0.1) ? body(r, members) : undefined) : body(r, members, valid);
  return { describe: `${method} ${url.slice(0, 300)} ${JSON.stringify(headers)} ${payload?.slice(0, 300) ?? ''}`, send: () => fx.tenant.send(method, url, payload, headers) };
}

/**
 * One random request to a route added after the Lambda fuzz's sequence was fixed (tags, layers,
 * code signing, runtime management, recursion, and faasbox's own egress API): its own generator,
 * so the seeded Lambda sequence above, and the failures it replays, stay as they were.
 */
function laterRouteRequest(r: Random, fx: Fixture): Fuzzed {
  const fn = (destructive = false) => pathParam(r, destructive ? undefined : FUNCTION);
  const functionArn = `arn:aws:lambda:us-east-1:${fx.tenant.accountId}:function:${FUNCTION}`;
  const valid = {
    Tags: () => ({ [r.pick(['team', 'aws:x', '', 'k'.repeat(129)])]: r.pick(['a', '', 'v'.repeat(257)]) }),
    Mode: () => r.pick(['allow-list', 'deny-list']), Allow: () => [r.pick(STRINGS), 'api.example.com', '10.0.0.0/8'], Deny: () => [r.pick(STRINGS)],
    Content: () => ({ ZipFile: mangledZip(r) }), CompatibleRuntimes: () => [r.pick(['nodejs22.x', 'python3.12', 'x'])],
    StatementId: () => `s${r.int(100)}`, Action: () => 'lambda:GetLayerVersion', Principal: () => r.pick(['*', '123456789012']),
    UpdateRuntimeOn: () => r.pick(['Auto', 'FunctionUpdate', 'Manual']), RecursiveLoop: () => r.pick(['Allow', 'Terminate']),
  };
  const LAYER_VERSIONS = `/2018-10-31/layers/${pathParam(r, 'fz-layer')}/versions`;
  const routes: [string, () => string, readonly string[], readonly string[]][] = [
    ['GET', () => `/api/functions/${fn()}/egress`, [], ['Qualifier']],
    ['PUT', () => `/api/functions/${fn()}/egress`, ['Mode', 'Allow', 'Deny', 'RevisionId'], []],
    ['DELETE', () => `/api/functions/${fn(true)}/egress`, [], []],
    ['GET', () => `/2017-03-31/tags/${pathParam(r, functionArn)}`, [], []],
    ['POST', () => `/2017-03-31/tags/${pathParam(r, functionArn)}`, ['Tags'], []],
    ['DELETE', () => `/2017-03-31/tags/${pathParam(r, undefined)}`, [], ['tagKeys']],
    ['POST', () => LAYER_VERSIONS, ['Content', 'Description', 'CompatibleRuntimes', 'CompatibleArchitectures', 'LicenseInfo'], []],
    ['GET', () => LAYER_VERSIONS, [], ['MaxItems', 'Marker', 'CompatibleRuntime', 'CompatibleArchitecture']],
    ['GET', () => '/2018-10-31/layers', [], ['MaxItems', 'Marker', 'CompatibleRuntime', 'find', 'Arn']],
    ['GET', () => `${LAYER_VERSIONS}/${pathParam(r, '1')}`, [], []],
    ['DELETE', () => `${LAYER_VERSIONS}/${pathParam(r, undefined)}`, [], []],
    ['POST', () => `${LAYER_VERSIONS}/${pathParam(r, '1')}/policy`, ['StatementId', 'Action', 'Principal', 'OrganizationId'], ['RevisionId']],
    ['GET', () => `${LAYER_VERSIONS}/${pathParam(r, '1')}/policy`, [], []],
    ['DELETE', () => `${LAYER_VERSIONS}/${pathParam(r, '1')}/policy/${pathParam(r, undefined)}`, [], ['RevisionId']],
    ['GET', () => `/2020-06-30/functions/${fn()}/code-signing-config`, [], []],
    ['PUT', () => `/2020-06-30/functions/${fn()}/code-signing-config`, ['CodeSigningConfigArn'], []],
    ['GET', () => '/2020-04-22/code-signing-configs', [], ['MaxItems', 'Marker']],
    ['GET', () => `/2021-07-20/functions/${fn()}/runtime-management-config`, [], ['Qualifier']],
    ['PUT', () => `/2021-07-20/functions/${fn()}/runtime-management-config`, ['UpdateRuntimeOn', 'RuntimeVersionArn'], ['Qualifier']],
    ['GET', () => `/2024-08-31/functions/${fn()}/recursion-config`, [], []],
    ['PUT', () => `/2024-08-31/functions/${fn()}/recursion-config`, ['RecursiveLoop'], []],
  ];
  const [method, path, members, queryMembers] = r.pick(routes);
  const url = path() + query(r, queryMembers);
  const headers: Record<string, string> = {};
  if (r.chance(0.3)) headers['content-type'] = r.pick(CONTENT_TYPES);
  const payload = method === 'GET' ? undefined : method === 'DELETE' ? (r.chance(0.1) ? body(r, members) : undefined) : body(r, members, valid);
  return { describe: `${method} ${url.slice(0, 300)} ${JSON.stringify(headers)} ${payload?.slice(0, 300) ?? ''}`, send: () => fx.tenant.send(method, url, payload, headers) };
}

/** One random request to a JSON-protocol service; SQS also on its Query protocol. */
function jsonRequest(r: Random, client: TestClient, targetPrefix: string, contentType: string, operations: Record<string, readonly string[]>, valid: Record<string, () => unknown>): Fuzzed {
  const name = r.chance(0.05) ? r.pick(STRINGS) : r.pick(Object.keys(operations));
  const members = operations[name] ?? ['x'];
  const payload = body(r, members, valid);
  // A header value cannot carry CR, LF, NUL or non-Latin-1 text: the client would refuse to send it.
  const sendable = (text: string) => text.replace(/[^\x20-\x7e]/g, '?');
  const target = sendable(r.chance(0.03) ? r.pick(['', targetPrefix, `${targetPrefix}.`, `.${name}`]) : `${targetPrefix}.${name}`);
  const headers = { 'X-Amz-Target': target, 'Content-Type': r.chance(0.05) ? r.pick(CONTENT_TYPES) : contentType };
  return { describe: `${target} ${payload.slice(0, 400)}`, send: () => client.send('POST', '/', payload, headers) };
}

function sqsQueryRequest(r: Random, client: TestClient, operations: Record<string, readonly string[]>, valid: Record<string, () => unknown>): Fuzzed {
  const action = r.chance(0.05) ? r.pick(STRINGS) : r.pick(Object.keys(operations));
  const params = new URLSearchParams({ Action: action, Version: '2012-11-05' });
  for (const [key, raw] of Object.entries(input(r, operations[action] ?? [], valid))) params.set(key, typeof raw === 'string' ? raw : JSON.stringify(raw));
  if (r.chance(0.3)) params.set(`${r.pick(['Attribute', 'MessageAttribute', 'AttributeName'])}.${r.pick(['1', '0', '-1', 'x'])}.${r.pick(['Name', 'Value', 'Value.DataType', 'Value.StringValue'])}`, String(r.pick(STRINGS)));
  const payload = params.toString();
  return { describe: `Query ${payload.slice(0, 400)}`, send: () => client.send('POST', '/', payload, { 'content-type': 'application/x-www-form-urlencoded' }) };
}

function xrayRequest(r: Random, client: TestClient): Fuzzed {
  const operations = { '/TraceSummaries': ['StartTime', 'EndTime', 'FilterExpression', 'NextToken', 'TimeRangeType', 'Sampling'], '/Traces': ['TraceIds', 'NextToken'], '/ServiceGraph': ['StartTime', 'EndTime', 'NextToken'] };
  const path = r.pick(Object.keys(operations)) as keyof typeof operations;
  const now = Date.now() / 1000;
  const payload = body(r, operations[path], { StartTime: () => now - r.int(100_000), EndTime: () => now - r.int(1000), TraceIds: () => ['1-00000000-000000000000000000000000'] });
  return { describe: `POST ${path} ${payload.slice(0, 400)}`, send: () => client.send('POST', path, payload, { 'Content-Type': r.chance(0.9) ? 'application/json' : r.pick(CONTENT_TYPES) }) };
}

type Read = (fx: Fixture) => Promise<Response>;
const get = (path: string): Read => (fx) => fx.tenant.send('GET', path.replace('{account}', fx.tenant.accountId));
const call = (service: 'sqs' | 'logs' | 'events', target: string, input: unknown, contentType = 'application/x-amz-json-1.1'): Read =>
  (fx) => fx[service].send('POST', '/', typeof input === 'function' ? input(fx) : input, { 'X-Amz-Target': target, 'Content-Type': contentType });

/** Per service, the reads whose answers a refused request must leave as they were. */
const STATE: Record<'lambda' | 'later' | 'sqs' | 'logs' | 'events' | 'xray', Read[]> = {
  lambda: [
    get('/2015-03-31/functions'), get(`/2015-03-31/functions/${FUNCTION}/versions`), get(`/2015-03-31/functions/${FUNCTION}/aliases`),
    get(`/2021-10-31/functions/${FUNCTION}/urls`), get(`/2015-03-31/functions/${FUNCTION}/policy`), get(`/2019-09-30/functions/${FUNCTION}/concurrency`),
    get(`/2019-09-25/functions/${FUNCTION}/event-invoke-config`), get('/2015-03-31/event-source-mappings'),
  ],
  later: [
    get(`/api/functions/${FUNCTION}/egress`), get(`/2017-03-31/tags/arn:aws:lambda:us-east-1:{account}:function:${FUNCTION}`),
    get('/2018-10-31/layers'), get('/2018-10-31/layers/fz-layer/versions'), get(`/2021-07-20/functions/${FUNCTION}/runtime-management-config`),
    get(`/2024-08-31/functions/${FUNCTION}/recursion-config`), get(`/2015-03-31/functions/${FUNCTION}/configuration`),
  ],
  sqs: [
    call('sqs', 'AmazonSQS.ListQueues', {}, 'application/x-amz-json-1.0'),
    call('sqs', 'AmazonSQS.GetQueueAttributes', (fx: Fixture) => ({ QueueUrl: fx.queueUrl, AttributeNames: ['All'] }), 'application/x-amz-json-1.0'),
  ],
  logs: [call('logs', 'Logs_20140328.DescribeLogGroups', {})],
  events: [call('events', 'AWSEvents.ListRules', {}), call('events', 'AWSEvents.ListTargetsByRule', { Rule: RULE })],
  xray: [], // a read-only API
};

async function snapshot(fx: Fixture, reads: Read[]): Promise<string> {
  const parts = await Promise.all(reads.map(async (read) => {
    // The reads share the fuzzed requests' API rate limits: a throttled read is asked again after
    // the bucket refills, so a 429 of the check itself is never taken for a change of state.
    for (let attempt = 1; ; attempt++) {
      const answer = await read(fx);
      if (answer.status !== 429 || attempt === 10) return `${answer.status} ${await answer.text()}`;
      await answer.body?.cancel();
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }));
  // Message counts move by themselves (visibility timeouts end): they are not what a request changed.
  return parts.join('\n').replace(/"ApproximateNumberOfMessages(NotVisible|Delayed)?":"\d+",?/g, '');
}

async function fuzz(fx: Fixture, service: keyof typeof STATE, seedOffset: number, request: (r: Random) => Fuzzed): Promise<string[]> {
  const r = generator(SEED + seedOffset);
  const failures: string[] = [];
  let before = await snapshot(fx, STATE[service]);
  for (let i = 0; i < REQUESTS_PER_SERVICE && failures.length < 5; i++) {
    const fuzzed = request(r);
    const response = await fuzzed.send();
    const text = await response.text();
    if (response.status >= 500) {
      failures.push(`#${i} ${fuzzed.describe}\n  -> ${response.status} ${text.slice(0, 300)}`);
      continue;
    }
    const after = await snapshot(fx, STATE[service]);
    if (response.status >= 400 && after !== before) failures.push(`#${i} refused with ${response.status} but changed state: ${fuzzed.describe}`);
    before = after;
  }
  if (failures.length > 0) console.log(`fuzz failures; replay with FAASBOX_FUZZ_SEED=${SEED}:\n${failures.join('\n')}`);
  return failures;
}

let fx: Fixture;

beforeAll(async () => {
  const tenant = await createTenant('fuzz');
  const as = (service: string) => signedClient(tenant.accessKeyId, tenant.secretAccessKey, 'us-east-1', service);
  fx = { tenant, sqs: as('sqs'), logs: as('logs'), events: as('events'), xray: as('xray'), queueUrl: '' };
  const created = await tenant.send('POST', '/2015-03-31/functions', {
    FunctionName: FUNCTION, Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zipBase64({ 'index.js': 'exports.handler = async (e) => e;' }) },
  });
  expect(created.status).toBe(201);
  expect((await tenant.send('POST', `/2015-03-31/functions/${FUNCTION}/invocations`, {})).status).toBe(200); // its log group
  const queue = await fx.sqs.send('POST', '/', { QueueName: QUEUE }, { 'X-Amz-Target': 'AmazonSQS.CreateQueue', 'Content-Type': 'application/x-amz-json-1.0' });
  fx.queueUrl = ((await queue.json()) as { QueueUrl: string }).QueueUrl;
  const rule = await fx.events.send('POST', '/', { Name: RULE, ScheduleExpression: 'rate(1 day)' }, { 'X-Amz-Target': 'AWSEvents.PutRule', 'Content-Type': 'application/x-amz-json-1.1' });
  expect(rule.status).toBe(200);
}, 30_000);

const SQS_OPERATIONS = {
  CreateQueue: ['QueueName', 'Attributes'], GetQueueUrl: ['QueueName', 'QueueOwnerAWSAccountId'], ListQueues: ['QueueNamePrefix', 'MaxResults', 'NextToken'],
  SendMessage: ['QueueUrl', 'MessageBody', 'DelaySeconds', 'MessageAttributes'], ReceiveMessage: ['QueueUrl', 'MaxNumberOfMessages', 'VisibilityTimeout', 'AttributeNames', 'MessageAttributeNames'],
  DeleteMessage: ['QueueUrl', 'ReceiptHandle'], GetQueueAttributes: ['QueueUrl', 'AttributeNames'], SetQueueAttributes: ['QueueUrl', 'Attributes'],
  PurgeQueue: ['QueueUrl'], DeleteQueue: ['QueueUrl'],
} as const;

describe(`malformed input (seed ${SEED})`, () => {
  it('every Lambda route answers 4xx, never 5xx, and refused requests change nothing', async () => {
    expect(await fuzz(fx, 'lambda', 1, (r) => lambdaRequest(r, fx))).toEqual([]);
  }, 120_000);

  it('every later Lambda route (tags, layers, code signing, runtime management, recursion) and faasbox\'s egress API', async () => {
    expect(await fuzz(fx, 'later', 6, (r) => laterRouteRequest(r, fx))).toEqual([]);
  }, 120_000);

  it('every SQS operation, on the JSON and the Query protocol', async () => {
    const valid = {
      QueueUrl: () => fx.queueUrl, QueueName: () => 'fz-q2', MessageBody: () => 'hi',
      Attributes: () => ({ VisibilityTimeout: '5', MessageRetentionPeriod: '60', RedrivePolicy: '{"maxReceiveCount":"x"}' }),
    };
    const request = (r: Random) => (r.chance(0.7)
      ? jsonRequest(r, fx.sqs, 'AmazonSQS', 'application/x-amz-json-1.0', SQS_OPERATIONS, valid)
      : sqsQueryRequest(r, fx.sqs, SQS_OPERATIONS, valid));
    expect(await fuzz(fx, 'sqs', 2, request)).toEqual([]);
  }, 120_000);

  it('every CloudWatch Logs operation', async () => {
    const operations = {
      DescribeLogGroups: ['logGroupNamePrefix', 'limit', 'nextToken'], DescribeLogStreams: ['logGroupName', 'logGroupIdentifier', 'logStreamNamePrefix', 'orderBy', 'descending', 'limit', 'nextToken'],
      GetLogEvents: ['logGroupName', 'logGroupIdentifier', 'logStreamName', 'startTime', 'endTime', 'startFromHead', 'limit', 'nextToken'],
      FilterLogEvents: ['logGroupName', 'logGroupIdentifier', 'logStreamNames', 'logStreamNamePrefix', 'startTime', 'endTime', 'filterPattern', 'limit', 'nextToken'],
      PutRetentionPolicy: ['logGroupName', 'retentionInDays'], DeleteRetentionPolicy: ['logGroupName'], DeleteLogGroup: ['logGroupName'],
    };
    const valid = { logGroupName: () => GROUP, filterPattern: () => '"START', nextToken: () => 'f/1' };
    expect(await fuzz(fx, 'logs', 3, (r) => jsonRequest(r, fx.logs, 'Logs_20140328', 'application/x-amz-json-1.1', operations, valid))).toEqual([]);
  }, 120_000);

  it('every EventBridge operation', async () => {
    const operations = {
      PutRule: ['Name', 'ScheduleExpression', 'State', 'Description', 'EventPattern', 'EventBusName'], DescribeRule: ['Name', 'EventBusName'],
      ListRules: ['NamePrefix', 'Limit', 'NextToken', 'EventBusName'], DeleteRule: ['Name', 'Force', 'EventBusName'],
      PutTargets: ['Rule', 'Targets', 'EventBusName'], ListTargetsByRule: ['Rule', 'Limit', 'NextToken'], RemoveTargets: ['Rule', 'Ids', 'Force'],
    };
    const valid = {
      Rule: () => RULE, ScheduleExpression: () => 'rate(5 minutes)',
      Targets: () => [{ Id: 't1', Arn: `arn:aws:lambda:us-east-1:${fx.tenant.accountId}:function:${FUNCTION}`, Input: '{' }],
    };
    expect(await fuzz(fx, 'events', 4, (r) => jsonRequest(r, fx.events, 'AWSEvents', 'application/x-amz-json-1.1', operations, valid))).toEqual([]);
  }, 120_000);

  it('every X-Ray operation', async () => {
    expect(await fuzz(fx, 'xray', 5, (r) => xrayRequest(r, fx.xray))).toEqual([]);
  }, 120_000);
});
