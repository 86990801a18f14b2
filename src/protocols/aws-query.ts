// AWS's Query protocol (form-encoded `Action=...` requests, XML answers), which boto3 before
// 1.31, the AWS CLI v2 before 2.13 and other older clients still use for SQS and CloudWatch.
// Translates to and from the JSON protocol's shapes, so every operation is implemented once; each
// service brings its codec (how its parameters and lists are spelled) and XML namespace. Errors
// are `<ErrorResponse>`.
import type { Context as HonoContext } from 'hono';
import { AwsError } from '../errors';
import { credentialScopeService, wrongServiceScope } from '../auth/sigv4';
import type { JsonInput, JsonOutput } from './aws-json';
import type { AppContext } from './request-context';
import { checkServiceAccess, type ServiceAccess } from './operation-access';

/** A service on the Query protocol: the same operations as its JSON-protocol side. */
export interface AwsQueryService<Context = unknown> {
  /** The `Version` parameter its requests carry (`2012-11-05` for SQS, `2010-08-01` for CloudWatch). */
  version: string;
  /** The SigV4 service its requests must be signed for (`sqs`, `monitoring`). */
  signingName: string;
  /** The XML namespace of its answers, and how its error documents look. */
  xmlns: string;
  errorStyle: QueryErrorStyle;
  /** How its parameters become JSON input and its JSON output becomes XML. */
  codec: QueryCodec;
  operations: Record<string, (context: Context, input: JsonInput) => Promise<JsonOutput>>;
  /** What each operation asks IAM before it runs (src/protocols/operation-access.ts). */
  access: ServiceAccess<Context, JsonInput>;
  unknownOperation: (action: string) => AwsError;
  /** A request over a rate limit, in this service's throttling shape. */
  throttled: () => AwsError;
  context: (c: HonoContext<AppContext>) => Context;
}

/** One service's spelling of the Query protocol (SQS flattens its lists; CloudWatch wraps them in `member`). */
export interface QueryCodec {
  /** The JSON-protocol input of the request's parameters (Action and Version left out). */
  input(params: URLSearchParams): JsonInput;
  /** The XML members of an operation's Result element, from its JSON output. */
  members(output: JsonOutput): string;
  /** Operations whose Result element appears even when empty (an empty receive or listing). */
  resultAlways: Readonly<Record<string, true>>;
}

/** An error that names the code the Query protocol uses when it differs from the JSON one. */
interface QueryCoded {
  queryCode?: string;
}

/** A service's `<ErrorResponse>`: its namespace, and whether `<Error>` ends with an empty `<Detail/>` (SQS's does, CloudWatch's not). */
export interface QueryErrorStyle {
  xmlns: string;
  detail: boolean;
}

/** SQS's namespace and error style: also those of requests that reach no service (their Version names none). */
export const SQS_XMLNS = 'http://queue.amazonaws.com/doc/2012-11-05/';
export const SQS_ERROR_STYLE: QueryErrorStyle = { xmlns: SQS_XMLNS, detail: true };

/**
 * Runs a form-encoded request's `Action` on the service whose `Version` it names, or answers
 * undefined when it is not such a request. Service errors come back as `<ErrorResponse>`; a
 * request signed for another service than the one its Version names is refused as AWS refuses
 * a credential scoped to the wrong service.
 */
export async function dispatchAwsQuery(c: HonoContext<AppContext>, services: readonly AwsQueryService<any>[]): Promise<Response | undefined> {
  if (!isAwsQueryRequest(c)) return undefined;
  const params = new URLSearchParams(new TextDecoder().decode(c.get('body')));
  const service = services.find((s) => s.version === params.get('Version'));
  if (!service) return undefined;
  const requestId = c.get('requestId');
  if (credentialScopeService(c.req.raw) !== service.signingName) return renderQueryError(wrongServiceScope(service.signingName), requestId, service.errorStyle);
  const action = params.get('Action') ?? '';
  try {
    const operation = Object.hasOwn(service.operations, action) ? service.operations[action] : undefined;
    if (!operation) throw service.unknownOperation(action);
    const context = service.context(c);
    const input = service.codec.input(params);
    await checkServiceAccess(c.env, c.get('caller'), service.access, action, () => context, input);
    return queryResponse(service, action, await operation(context, input), requestId);
  } catch (error) {
    if (error instanceof AwsError) return renderQueryError(error, requestId, service.errorStyle);
    throw error;
  }
}

/** A request on the Query protocol: form-encoded, no X-Amz-Target (its service is in the body's Version). */
export function isAwsQueryRequest(c: HonoContext<AppContext>): boolean {
  return !c.req.header('x-amz-target') && (c.req.header('content-type')?.startsWith('application/x-www-form-urlencoded') ?? false);
}

/**
 * The Query protocol's error document (a service error, or a refused signature); `requestId` is
 * the request's x-amzn-RequestId, `style` the service's (SQS's by default).
 */
export function renderQueryError(error: Pick<AwsError, 'status' | 'code' | 'message'> & QueryCoded, requestId: string, style = SQS_ERROR_STYLE): Response {
  const xml =
    `<?xml version="1.0"?><ErrorResponse xmlns="${style.xmlns}"><Error><Type>Sender</Type>` +
    `<Code>${escapeXml(error.queryCode ?? error.code)}</Code><Message>${escapeXml(error.message)}</Message>${style.detail ? '<Detail/>' : ''}</Error>` +
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
  TagKey: 'TagKeys',
};

/**
 * The JSON-protocol input of an SQS Query request: `Attribute.N.Name/Value` becomes `Attributes`,
 * `MessageAttribute.N.Name` and `.Value.DataType/StringValue/BinaryValue` become
 * `MessageAttributes`, `AttributeName.N` becomes `AttributeNames`, `Tag.N.Key/Value` becomes
 * `Tags` (CreateQueue's JSON member is `tags`) and `TagKey.N` `TagKeys`; scalars stay strings.
 * @example sqsQueryInput(new URLSearchParams('Action=SendMessage&MessageBody=hi')) // { MessageBody: 'hi' }
 */
function sqsQueryInput(params: URLSearchParams): JsonInput {
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
    if (kind === 'Tag' && fields.Key !== undefined) mapMember(input, params.get('Action') === 'CreateQueue' ? 'tags' : 'Tags')[fields.Key] = fields.Value ?? '';
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
/** JSON maps the Query protocol writes as repeated `<Name/><Value/>` pairs (`<Key/><Value/>` for tags): the element and its key's name. */
const MAPS: Record<string, readonly [string, string]> = { Attributes: ['Attribute', 'Name'], MessageAttributes: ['MessageAttribute', 'Name'], Tags: ['Tag', 'Key'] };

/** The Query protocol's answer to `action`, from the JSON protocol's output. */
function queryResponse(service: AwsQueryService<any>, action: string, output: JsonOutput, requestId: string): Response {
  const result = Object.keys(output).length > 0 || action in service.codec.resultAlways ? `<${action}Result>${service.codec.members(output)}</${action}Result>` : '';
  const xml =
    `<?xml version="1.0"?><${action}Response xmlns="${service.xmlns}">${result}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
  return new Response(xml, { headers: { 'content-type': 'text/xml' } });
}

/** SQS's Query spelling: flattened lists and `<Name/><Value/>` maps, in both directions. */
export const sqsQueryCodec: QueryCodec = {
  input: sqsQueryInput,
  members: (output) => xmlMembers(output),
  resultAlways: { ReceiveMessage: true, ListQueues: true, GetQueueAttributes: true, ListQueueTags: true },
};

function xmlMembers(value: Record<string, unknown>): string {
  let xml = '';
  for (const [name, member] of Object.entries(value)) {
    if (member === undefined) continue;
    if (FLATTENED[name] && Array.isArray(member)) {
      for (const item of member) xml += element(FLATTENED[name], item);
    } else if (MAPS[name] && typeof member === 'object') {
      const [entryElement, keyElement] = MAPS[name];
      for (const [key, entry] of Object.entries(member as Record<string, unknown>)) {
        xml += `<${entryElement}><${keyElement}>${escapeXml(key)}</${keyElement}>${element('Value', entry)}</${entryElement}>`;
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

/**
 * The Query spelling of services whose lists are wrapped (CloudWatch): `Name.member.N` (1-based)
 * for list items, dotted paths for nested structures (`MetricStat.Metric.Namespace`), every
 * scalar a string, an empty list as `Name=`. Answers wrap list items in `<member>`, write the
 * members named in `maps` as `<entry><key/><value/></entry>` and those in `timestamps` (epoch
 * seconds in the JSON output) as ISO 8601.
 */
export function memberListCodec(options: { maps: readonly string[]; timestamps: readonly string[]; resultAlways?: Record<string, true> }): QueryCodec {
  const maps = new Set(options.maps);
  const timestamps = new Set(options.timestamps);
  const members = (value: Record<string, unknown>): string => {
    let xml = '';
    for (const [name, member] of Object.entries(value)) {
      if (member === undefined) continue;
      xml += memberElement(name, member, timestamps.has(name));
    }
    return xml;
  };
  const memberElement = (name: string, value: unknown, timestamp: boolean): string => {
    if (Array.isArray(value)) {
      const items = value.map((item) => memberElement('member', item, timestamp)).join('');
      return items === '' ? `<${name}/>` : `<${name}>${items}</${name}>`;
    }
    if (maps.has(name) && typeof value === 'object' && value !== null) {
      const entries = Object.entries(value).map(([key, entry]) => `<entry><key>${escapeXml(key)}</key>${memberElement('value', entry, false)}</entry>`);
      return `<${name}>${entries.join('')}</${name}>`;
    }
    if (typeof value === 'object' && value !== null) return `<${name}>${members(value as Record<string, unknown>)}</${name}>`;
    const text = timestamp && typeof value === 'number' ? isoSeconds(value) : String(value);
    return `<${name}>${escapeXml(text)}</${name}>`;
  };
  return { input: memberListInput, members, resultAlways: options.resultAlways ?? {} };
}

/** Epoch seconds as AWS's Query answers write a timestamp: `2026-12-01T12:00:00Z` (milliseconds only when there are some). */
function isoSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

/** A node of the input being built: a structure, a list by 1-based index (made an array at the end), or a string. */
type InputNode = InputStructure | Map<number, InputNode> | string;
type InputStructure = { [name: string]: InputNode };

/**
 * The JSON-protocol input of a `member`-list Query request. A structured parameter wins over a
 * plain one of the same name (`Dimensions=x` beside `Dimensions.member.1.Name` is no 500), a
 * list over a malformed item path; parameters with a `__proto__` segment are ignored.
 * @example memberListInput(new URLSearchParams('Statistics.member.1=Sum&Period=60')) // { Statistics: ['Sum'], Period: '60' }
 */
function memberListInput(params: URLSearchParams): JsonInput {
  const root: InputStructure = {};
  for (const [key, value] of params) {
    if (key === 'Action' || key === 'Version') continue;
    const path = key.split('.');
    if (path.includes('__proto__')) continue;
    let node = root;
    for (let i = 0; i < path.length; i++) {
      const name = path[i];
      const existing = Object.hasOwn(node, name) ? node[name] : undefined;
      if (path[i + 1] === 'member' && /^[1-9]\d{0,5}$/.test(path[i + 2] ?? '')) {
        const list = existing instanceof Map ? existing : new Map<number, InputNode>();
        node[name] = list;
        const index = Number(path[i + 2]);
        const item = list.get(index);
        if (i + 2 === path.length - 1) {
          if (item === undefined || typeof item === 'string') list.set(index, value);
          break;
        }
        const structure = isStructure(item) ? item : {};
        list.set(index, structure);
        node = structure;
        i += 2;
      } else if (i === path.length - 1) {
        if (existing === undefined || typeof existing === 'string') node[name] = value;
      } else {
        // A list already there wins over a malformed item of it (`Dimensions.member.0.Name`).
        if (existing instanceof Map) break;
        const structure = isStructure(existing) ? existing : {};
        node[name] = structure;
        node = structure;
      }
    }
  }
  return compact(root) as JsonInput;
}

function isStructure(node: InputNode | undefined): node is InputStructure {
  return typeof node === 'object' && !(node instanceof Map);
}

/** Lists by index become arrays in index order. */
function compact(node: InputNode): unknown {
  if (typeof node === 'string') return node;
  if (node instanceof Map) return [...node.entries()].sort(([a], [b]) => a - b).map(([, item]) => compact(item));
  return Object.fromEntries(Object.entries(node).map(([name, child]) => [name, compact(child)]));
}
