// Replays a corpus of API calls with AWS's documented answers (test/corpus/) through two real
// clients against a dev server: @aws-sdk/client-* in this process and boto3 in one Python process
// for the whole corpus, and asserts each answer's status, error code, message and exact field set.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import * as lambdaSdk from '@aws-sdk/client-lambda';
import * as sqsSdk from '@aws-sdk/client-sqs';
import type { E2EServer } from './harness';

/** A value the corpus cannot write as JSON: bytes (a zip, a payload), given as base64. */
export interface Bytes { $base64: string }

/**
 * One call and what AWS answers to it. Strings may hold {{run}} (sdk or boto3), {{account}},
 * {{region}}, {{endpoint}} (a QueueUrl's origin) and what an earlier case captured.
 */
export interface CorpusCase {
  /** What the case shows, e.g. "TagResource refuses a 51st tag". */
  name: string;
  /** The service whose client sends it: lambda unless said. */
  service?: 'lambda' | 'sqs';
  /** The clients that send it, both unless said (Debian's boto3 1.26 lacks operations newer than it, e.g. recursion configs). */
  clients?: Client[];
  /** The API operation, as AWS names it (PascalCase): CreateFunction, TagResource... */
  operation: string;
  input: Record<string, unknown>;
  /** Absent: a step that only has to succeed (setup for later cases). */
  expect?: CorpusExpectation;
  /** Top-level members of this case's answer that later cases name as {{var}}: `{ uuid: 'UUID' }` (a value AWS makes, per client). */
  capture?: Record<string, string>;
}

export interface CorpusExpectation {
  /** HTTP status of the answer. */
  status: number;
  /** An error: its code (e.g. ValidationException) and message, exact (string) or matched (RegExp). */
  error?: { code: string; message: string | RegExp };
  /** The exact set of top-level fields of a success (the client's metadata left out). */
  fields?: string[];
  /**
   * The exact field sets of nested objects, by path: `Configuration`, `Versions[]` (every item of
   * a list), `Functions[FunctionName=fn-{{run}}]` (the item whose member has that value).
   */
  nestedFields?: Record<string, string[]>;
  /** Parts of a success's body that must be there as given (toMatchObject). */
  body?: Record<string, unknown>;
}

/** What one client got for one case, reduced to what a corpus asserts. */
export interface ClientAnswer {
  status: number;
  /**
   * Why the case was not sent: the client's model lacks a member it names (Debian's boto3 1.26
   * has no LoggingConfig), so that client skips it and the rest of its corpus, which may build on it.
   */
  skipped?: string;
  error?: { code: string; message: string };
  body?: Record<string, unknown>;
  /**
   * boto3 only: the members its model knows for the output, nested (null for a scalar). Debian's
   * boto3 1.26 drops what it does not know (LoggingConfig, RuntimeVersionConfig...), so its field
   * sets are compared on these members.
   */
  known?: KnownMembers;
}

type KnownMembers = { [member: string]: KnownMembers | null };

export type Client = 'sdk' | 'boto3';
const SDK_MODULES: Record<string, Record<string, unknown>> = { lambda: lambdaSdk, sqs: sqsSdk };
const SDK_CLIENTS = { lambda: lambdaSdk.LambdaClient, sqs: sqsSdk.SQSClient } as const;

/**
 * Runs `cases` in order through the AWS SDK, then through boto3 (each client its own {{run}}, so
 * names do not collide), and asserts every expectation for both; a failure names the client and
 * the case. Returns what each client got, for assertions a corpus cannot express.
 */
export async function replayCorpus(server: E2EServer, cases: CorpusCase[]): Promise<Record<Client, ClientAnswer[]>> {
  const sdk = await replayWithSdk(server, cases);
  const boto3 = replayWithBoto3(server, cases);
  for (const [client, answers] of [['sdk', sdk], ['boto3', boto3]] as const) {
    const vars = substitutions(server, client);
    cases.forEach((corpusCase, i) => {
      if (!sentBy(corpusCase, client)) return;
      // Captured first: a case's own expectation may name what it captured.
      captureInto(vars, corpusCase, answers[i]);
      checkAnswer(client, corpusCase, answers[i], vars);
    });
  }
  return { sdk, boto3 };
}

const sentBy = (corpusCase: CorpusCase, client: Client) => corpusCase.clients?.includes(client) ?? true;

function substitutions(server: E2EServer, client: Client): Record<string, string> {
  return { run: client, account: server.accountId, region: server.region, endpoint: server.endpoint };
}

/** Adds what `corpusCase` captures from its answer to `vars` (a member the answer lacks stays unset: its uses fail visibly). */
function captureInto(vars: Record<string, string>, corpusCase: CorpusCase, answer: ClientAnswer): void {
  for (const [name, member] of Object.entries(corpusCase.capture ?? {})) {
    const value = answer.body?.[member];
    if (typeof value === 'string' || typeof value === 'number') vars[name] = String(value);
  }
}

/** Replaces {{name}} in every string of `value` (deeply); Bytes become Uint8Array when `bytes` says so. */
function substitute(value: unknown, vars: Record<string, string>, bytes: 'uint8array' | 'keep'): unknown {
  if (typeof value === 'string') return value.replace(/\{\{(\w+)\}\}/g, (_, name: string) => vars[name] ?? `{{${name}}}`);
  if (Array.isArray(value)) return value.map((v) => substitute(v, vars, bytes));
  if (value instanceof RegExp) return new RegExp(substitute(value.source, vars, 'keep') as string, value.flags);
  if (value && typeof value === 'object') {
    if ('$base64' in value && bytes === 'uint8array') return Uint8Array.from(Buffer.from((value as Bytes).$base64, 'base64'));
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, vars, bytes)]));
  }
  return value;
}

function checkAnswer(client: Client, corpusCase: CorpusCase, answer: ClientAnswer, vars: Record<string, string>): void {
  const where = `${client}: ${corpusCase.name} (${corpusCase.operation})`;
  if (answer.skipped) return;
  if (!corpusCase.expect) {
    expect(answer.error, `${where}: a setup step failed`).toBeUndefined();
    return;
  }
  const expected = substitute(corpusCase.expect, vars, 'keep') as CorpusExpectation;
  expect(answer.status, where).toBe(expected.status);
  if (expected.error) {
    expect(answer.error?.code, where).toBe(expected.error.code);
    if (typeof expected.error.message === 'string') expect(answer.error?.message, where).toBe(expected.error.message);
    else expect(answer.error?.message, where).toMatch(expected.error.message);
    return;
  }
  expect(answer.error, where).toBeUndefined();
  const visible = (fields: string[], known: KnownMembers | null | undefined) => (known ? fields.filter((f) => f in known) : fields).sort();
  if (expected.fields) expect(Object.keys(answer.body ?? {}).sort(), where).toEqual(visible(expected.fields, answer.known));
  for (const [path, fields] of Object.entries(expected.nestedFields ?? {})) {
    const objects = nestedObjects(answer.body ?? {}, substitute(path, vars, 'keep') as string);
    expect(objects.length, `${where}: ${path}`).toBeGreaterThan(0);
    const known = answer.known && answer.known[/^\w+/.exec(path)![0]];
    for (const object of objects) expect(Object.keys(object).sort(), `${where}: ${path}`).toEqual(visible(fields, known));
  }
  if (expected.body) {
    const known = answer.known;
    expect(answer.body, where).toMatchObject(known ? Object.fromEntries(Object.entries(expected.body).filter(([member]) => member in known)) : expected.body);
  }
}

/** The objects a nestedFields path names in `body` (see CorpusExpectation.nestedFields). */
function nestedObjects(body: Record<string, unknown>, path: string): Record<string, unknown>[] {
  const [, member, selector] = /^(\w+)(?:\[(.*)\])?$/.exec(path) ?? [];
  const value = body[member];
  if (selector === undefined) return value && typeof value === 'object' ? [value as Record<string, unknown>] : [];
  const items = Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
  if (selector === '') return items;
  const [key, wanted] = selector.split('=');
  return items.filter((item) => item[key] === wanted);
}

async function replayWithSdk(server: E2EServer, cases: CorpusCase[]): Promise<ClientAnswer[]> {
  const vars = substitutions(server, 'sdk');
  const clients = new Map<string, { send(command: unknown): Promise<Record<string, unknown>> }>();
  const answers: ClientAnswer[] = [];
  for (const corpusCase of cases) {
    if (!sentBy(corpusCase, 'sdk')) {
      answers.push({ status: 0 });
      continue;
    }
    const service = corpusCase.service ?? 'lambda';
    if (!clients.has(service)) clients.set(service, server.client(SDK_CLIENTS[service] as typeof lambdaSdk.LambdaClient) as never);
    const Command = SDK_MODULES[service][`${corpusCase.operation}Command`] as (new (input: unknown) => unknown) | undefined;
    if (!Command) throw new Error(`@aws-sdk/client-${service} has no ${corpusCase.operation}Command`);
    try {
      const { $metadata, ...body } = await clients.get(service)!.send(new Command(substitute(corpusCase.input, vars, 'uint8array')));
      const status = ($metadata as { httpStatusCode: number }).httpStatusCode;
      answers.push({ status, body: withoutStatusMember(sdkBody(body), status) });
      captureInto(vars, corpusCase, answers[answers.length - 1]);
    } catch (error) {
      const failure = error as { name: string; message: string; $metadata?: { httpStatusCode?: number }; $fault?: string };
      if (!failure.$metadata) throw error;
      answers.push({ status: failure.$metadata.httpStatusCode ?? 0, error: { code: failure.name, message: failure.message } });
    }
  }
  return answers;
}

/**
 * A body without the member some clients bind to the HTTP status (StatusCode: the SDK's
 * DeleteFunction has it, boto3 1.26's not): the corpus asserts the status on its own.
 */
function withoutStatusMember(body: Record<string, unknown>, status: number): Record<string, unknown> {
  if (body.StatusCode !== status) return body;
  const { StatusCode: _, ...rest } = body;
  return rest;
}

/** The SDK's body as JSON would show it: bytes (an Invoke's Payload) as text, dates as ISO strings. */
function sdkBody(body: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(body, (_, v) => (v instanceof Uint8Array ? new TextDecoder().decode(v) : v)));
}

/** The boto3 side: one interpreter runs every case (each one costs a Python start of 1-3 s otherwise). */
const BOTO3_REPLAYER = String.raw`
import base64, json, sys, datetime
import boto3, botocore
from botocore.config import Config
endpoint, path = sys.argv[1], sys.argv[2]
cases = json.load(open(path))
clients = {}
def unbytes(v):
    if isinstance(v, dict):
        if set(v) == {'$base64'}: return base64.b64decode(v['$base64'])
        return {k: unbytes(x) for k, x in v.items()}
    if isinstance(v, list): return [unbytes(x) for x in v]
    return v
def plain(v):
    if isinstance(v, dict): return {k: plain(x) for k, x in v.items()}
    if isinstance(v, list): return [plain(x) for x in v]
    if isinstance(v, (datetime.datetime, datetime.date)): return v.isoformat()
    if isinstance(v, bytes): return v.decode('utf-8', 'replace')
    if hasattr(v, 'read'): return v.read().decode('utf-8', 'replace')
    return v
def known(shape, depth=2):
    if shape is not None and shape.type_name == 'list': return known(shape.member, depth)
    if shape is None or shape.type_name != 'structure' or depth < 0: return None
    return {name: known(member, depth - 1) for name, member in shape.members.items()}
captured = {}
def fill(v):
    if isinstance(v, str):
        for name, value in captured.items(): v = v.replace('{{%s}}' % name, value)
        return v
    if isinstance(v, dict): return {k: fill(x) for k, x in v.items()}
    if isinstance(v, list): return [fill(x) for x in v]
    return v
out = []
skipping = None
for c in cases:
    service = c.get('service', 'lambda')
    if service not in clients:
        clients[service] = boto3.client(service, endpoint_url=endpoint, config=Config(retries={'max_attempts': 1}))
    client = clients[service]
    if skipping is None:
        input_members = client.meta.service_model.operation_model(c['operation']).input_shape.members
        unknown = [k for k in c['input'] if k not in input_members]
        if unknown: skipping = 'botocore %s has no %s.%s' % (botocore.__version__, c['operation'], unknown[0])
    if skipping:
        out.append({'status': 0, 'skipped': skipping})
        continue
    try:
        answer = getattr(client, botocore.xform_name(c['operation']))(**unbytes(fill(c['input'])))
        status = answer.pop('ResponseMetadata')['HTTPStatusCode']
        for name, member in c.get('capture', {}).items():
            if isinstance(answer.get(member), (str, int)): captured[name] = str(answer[member])
        if answer.get('StatusCode') == status: answer.pop('StatusCode')
        output = client.meta.service_model.operation_model(c['operation']).output_shape
        out.append({'status': status, 'body': plain(answer), 'known': known(output) or {}})
    except botocore.exceptions.ClientError as e:
        out.append({'status': e.response['ResponseMetadata']['HTTPStatusCode'], 'error': {'code': e.response['Error']['Code'], 'message': e.response['Error'].get('Message', '')}})
    except botocore.exceptions.ParamValidationError as e:
        out.append({'status': 0, 'error': {'code': 'ParamValidationError', 'message': str(e)}})
print(json.dumps(out))
`;

function replayWithBoto3(server: E2EServer, cases: CorpusCase[]): ClientAnswer[] {
  const dir = join(server.workDir, 'corpus');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `cases-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  const sent = cases.filter((c) => sentBy(c, 'boto3'));
  writeFileSync(path, JSON.stringify(sent.map((c) => ({ ...c, input: substitute(c.input, substitutions(server, 'boto3'), 'keep') }))));
  const answers = JSON.parse(server.boto3(BOTO3_REPLAYER, server.endpoint, path)) as ClientAnswer[];
  // Back in the corpus's order; a case boto3 does not send has no answer to check.
  return cases.map((c) => (sentBy(c, 'boto3') ? answers.shift()! : { status: 0 }));
}

/** Bytes for a corpus input: `zipBytes(zipOf({...}))`. */
export function bytesOf(data: Uint8Array | string): Bytes {
  return { $base64: Buffer.from(data).toString('base64') };
}
