// SQS's older Query protocol (form-encoded `Action=...` requests, XML answers), which boto3
// before 1.31 and other older clients still speak. Translates to and from the JSON protocol's
// shapes, so every operation is implemented once.
import { escapeXml } from '../queues/errors';

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
export function queryInput(params: URLSearchParams): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  const entries = new Map<string, Record<string, string>>();
  for (const [key, value] of params) {
    const parts = key.split('.');
    if (parts.length === 1) {
      if (key !== 'Action' && key !== 'Version') input[key] = value;
    } else if (parts.length === 2 && LISTS[parts[0]]) {
      ((input[LISTS[parts[0]]] ??= []) as string[]).push(value);
    } else {
      const entry = `${parts[0]}.${parts[1]}`;
      if (!entries.has(entry)) entries.set(entry, {});
      entries.get(entry)![parts.slice(2).join('.')] = value;
    }
  }
  for (const [entry, fields] of entries) {
    const kind = entry.split('.')[0];
    if (kind === 'Attribute') ((input.Attributes ??= {}) as Record<string, string>)[fields.Name] = fields.Value;
    if (kind === 'MessageAttribute') {
      const value: Record<string, string> = {};
      for (const field of ['DataType', 'StringValue', 'BinaryValue']) if (fields[`Value.${field}`] !== undefined) value[field] = fields[`Value.${field}`];
      ((input.MessageAttributes ??= {}) as Record<string, unknown>)[fields.Name] = value;
    }
  }
  return input;
}

/** JSON members that the Query protocol writes as repeated (flattened) elements. */
const FLATTENED: Record<string, string> = { QueueUrls: 'QueueUrl', Messages: 'Message' };
/** JSON maps the Query protocol writes as repeated `<Name/><Value/>` pairs. */
const MAPS: Record<string, string> = { Attributes: 'Attribute', MessageAttributes: 'MessageAttribute' };

/** The Query protocol's answer to `action`, from the JSON protocol's output. */
export function queryResponse(action: string, output: Record<string, unknown>, requestId: string): Response {
  const result = Object.keys(output).length > 0 || action in RESULT_ALWAYS ? `<${action}Result>${xmlMembers(output)}</${action}Result>` : '';
  const xml =
    `<?xml version="1.0"?><${action}Response xmlns="http://queue.amazonaws.com/doc/2012-11-05/">${result}` +
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
