// AWS's Query protocol as SQS speaks it (form-encoded `Action=...` requests, XML answers), which
// boto3 before 1.31 and other older clients still use. Translates to and from the JSON
// protocol's shapes, so every operation is implemented once; errors are `<ErrorResponse>`.
import type { Context as HonoContext } from 'hono';
import { AwsError } from '../errors';
import type { JsonInput, JsonOutput } from './aws-json';
import type { AppContext } from './request-context';

/** A service on the Query protocol: the same operations as its JSON-protocol side. */
export interface AwsQueryService<Context = unknown> {
  /** The `Version` parameter its requests carry (`2012-11-05` for SQS). */
  version: string;
  /** The SigV4 service its requests must be signed for (`sqs`). */
  signingName: string;
  operations: Record<string, (context: Context, input: JsonInput) => Promise<JsonOutput>>;
  unknownOperation: (action: string) => AwsError;
  context: (c: HonoContext<AppContext>) => Context;
}

/** An error that names the code the Query protocol uses when it differs from the JSON one. */
interface QueryCoded {
  queryCode?: string;
}

const XMLNS = 'http://queue.amazonaws.com/doc/2012-11-05/';

/**
 * Runs a form-encoded request's `Action` on the service whose `Version` it names, or answers
 * undefined when it is not such a request. Service errors come back as `<ErrorResponse>`.
 */
export async function dispatchAwsQuery(c: HonoContext<AppContext>, services: readonly AwsQueryService<any>[]): Promise<Response | undefined> {
  if (!isAwsQueryRequest(c)) return undefined;
  const params = new URLSearchParams(new TextDecoder().decode(c.get('body')));
  const service = services.find((s) => s.version === params.get('Version'));
  if (!service) return undefined;
  const action = params.get('Action') ?? '';
  const requestId = c.get('requestId');
  try {
    const operation = Object.hasOwn(service.operations, action) ? service.operations[action] : undefined;
    if (!operation) throw service.unknownOperation(action);
    return queryResponse(action, await operation(service.context(c), queryInput(params)), requestId);
  } catch (error) {
    if (error instanceof AwsError) return renderQueryError(error, requestId);
    throw error;
  }
}

/** A request on the Query protocol: form-encoded, no X-Amz-Target (its service is in the body's Version). */
export function isAwsQueryRequest(c: HonoContext<AppContext>): boolean {
  return !c.req.header('x-amz-target') && (c.req.header('content-type')?.startsWith('application/x-www-form-urlencoded') ?? false);
}

/** The Query protocol's error document (a service error, or a refused signature); `requestId` is the request's x-amzn-RequestId. */
export function renderQueryError(error: Pick<AwsError, 'status' | 'code' | 'message'> & QueryCoded, requestId: string): Response {
  const xml =
    `<?xml version="1.0"?><ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type>` +
    `<Code>${escapeXml(error.queryCode ?? error.code)}</Code><Message>${escapeXml(error.message)}</Message><Detail/></Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`;
  return new Response(xml, { status: error.status, headers: { 'content-type': 'text/xml' } });
}

/** Escapes text for an XML element body. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"'\r]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** Flattened list parameters (`AttributeName.1=...`) and the JSON member they fill. */
const LISTS: Record<string, string> = {
  AttributeName: 'AttributeNames',
  MessageAttributeName: 'MessageAttributeNames',
  MessageSystemAttributeName: 'MessageSystemAttributeNames',
};

/**
 * The JSON-protocol input of a Query request: `Attribute.N.Name/Value` becomes `Attributes`,
 * `MessageAttribute.N.Name` and `.Value.DataType/StringValue/BinaryValue` become
 * `MessageAttributes`, `AttributeName.N` becomes `AttributeNames`; scalars stay strings.
 * @example queryInput(new URLSearchParams('Action=SendMessage&MessageBody=hi')) // { MessageBody: 'hi' }
 */
function queryInput(params: URLSearchParams): JsonInput {
  const input: Record<string, unknown> = {};
  const entries = new Map<string, Record<string, string>>();
  for (const [key, value] of params) {
    const parts = key.split('.');
    if (parts.length === 1) {
      if (key !== 'Action' && key !== 'Version') input[key] = value;
    } else if (parts.length === 2 && LISTS[parts[0]]) {
      listMember(input, LISTS[parts[0]]).push(value);
    } else {
      const entry = `${parts[0]}.${parts[1]}`;
      if (!entries.has(entry)) entries.set(entry, {});
      entries.get(entry)![parts.slice(2).join('.')] = value;
    }
  }
  for (const [entry, fields] of entries) {
    const kind = entry.split('.')[0];
    if (kind === 'Attribute') mapMember(input, 'Attributes')[fields.Name] = fields.Value;
    if (kind === 'MessageAttribute') {
      const value: Record<string, string> = {};
      for (const field of ['DataType', 'StringValue', 'BinaryValue']) if (fields[`Value.${field}`] !== undefined) value[field] = fields[`Value.${field}`];
      mapMember(input, 'MessageAttributes')[fields.Name] = value;
    }
  }
  return input;
}

/** The list `name` of `input`; flattened entries win over a plain `name=...` parameter given too. */
function listMember(input: Record<string, unknown>, name: string): string[] {
  if (!Array.isArray(input[name])) input[name] = [];
  return input[name] as string[];
}

/** The map `name` of `input`, likewise (`Attributes=x` beside `Attribute.1.Name` is no 500). */
function mapMember(input: Record<string, unknown>, name: string): Record<string, unknown> {
  const member = input[name];
  if (typeof member !== 'object' || member === null || Array.isArray(member)) input[name] = {};
  return input[name] as Record<string, unknown>;
}

/** JSON members that the Query protocol writes as repeated (flattened) elements. */
const FLATTENED: Record<string, string> = { QueueUrls: 'QueueUrl', Messages: 'Message' };
/** JSON maps the Query protocol writes as repeated `<Name/><Value/>` pairs. */
const MAPS: Record<string, string> = { Attributes: 'Attribute', MessageAttributes: 'MessageAttribute' };

/** The Query protocol's answer to `action`, from the JSON protocol's output. */
function queryResponse(action: string, output: JsonOutput, requestId: string): Response {
  const result = Object.keys(output).length > 0 || action in RESULT_ALWAYS ? `<${action}Result>${xmlMembers(output)}</${action}Result>` : '';
  const xml =
    `<?xml version="1.0"?><${action}Response xmlns="${XMLNS}">${result}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
  return new Response(xml, { headers: { 'content-type': 'text/xml' } });
}

/** Operations whose Result element appears even when empty (an empty receive or listing). */
const RESULT_ALWAYS = { ReceiveMessage: true, ListQueues: true, GetQueueAttributes: true };

function xmlMembers(value: Record<string, unknown>): string {
  let xml = '';
  for (const [name, member] of Object.entries(value)) {
    if (member === undefined) continue;
    if (FLATTENED[name] && Array.isArray(member)) {
      for (const item of member) xml += element(FLATTENED[name], item);
    } else if (MAPS[name] && typeof member === 'object') {
      for (const [key, entry] of Object.entries(member as Record<string, unknown>)) {
        xml += `<${MAPS[name]}><Name>${escapeXml(key)}</Name>${element('Value', entry)}</${MAPS[name]}>`;
      }
    } else {
      xml += element(name, member);
    }
  }
  return xml;
}

function element(name: string, value: unknown): string {
  const body = typeof value === 'object' && value !== null ? xmlMembers(value as Record<string, unknown>) : escapeXml(String(value));
  return `<${name}>${body}</${name}>`;
}
