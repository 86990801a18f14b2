// SQS messages as values: the message attribute shape, the checks SendMessage makes, and the MD5
// digests clients verify (of the body, and of the attributes by AWS's documented algorithm).
import type { QueueFailure } from './errors';
import type { MessageAttributes } from '../records/queues';

export type { MessageAttributes, MessageAttributeValue } from '../records/queues';

export const MESSAGE_ATTRIBUTES_MAX_COUNT = 10;
export const MESSAGE_ATTRIBUTE_NAME_MAX_CHARS = 256;
export const DELAY_MAX_SECONDS = 900;

/** The characters SQS accepts in a body or string attribute (XML 1.0's Char production). */
const VALID_TEXT = /^[\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;
const ATTRIBUTE_NAME = /^(?!\.)(?!.*\.\.)(?!.*\.$)[A-Za-z0-9_.-]+$/;
const DATA_TYPE = /^(String|Number|Binary)(\..+)?$/;

const utf8 = new TextEncoder();

/**
 * Checks a message before it is stored: non-empty body of valid characters, at most
 * `maxMessageBytes` for body plus attributes (names, types and values, as SQS counts them), and
 * well-formed attributes. Returns the failure, or undefined when the message is acceptable.
 */
export function checkMessage(body: string, attributes: MessageAttributes, maxMessageBytes: number): QueueFailure | undefined {
  if (body.length === 0) return invalid('MissingParameter', 'The request must contain the parameter MessageBody.');
  if (!VALID_TEXT.test(body)) return invalid('InvalidMessageContents', 'Invalid binary character in the message body. Only #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF are allowed.');
  const names = Object.keys(attributes);
  if (names.length > MESSAGE_ATTRIBUTES_MAX_COUNT) return invalid('InvalidParameterValue', `Number of message attributes [${names.length}] exceeds the allowed maximum [${MESSAGE_ATTRIBUTES_MAX_COUNT}].`);
  let bytes = utf8.encode(body).byteLength;
  for (const name of names) {
    const value = attributes[name];
    if (name.length > MESSAGE_ATTRIBUTE_NAME_MAX_CHARS || !ATTRIBUTE_NAME.test(name) || /^(aws|amazon)\./i.test(name)) {
      return invalid('InvalidParameterValue', `Message attribute name '${name}' is invalid.`);
    }
    if (typeof value?.DataType !== 'string' || !DATA_TYPE.test(value.DataType)) {
      return invalid('InvalidParameterValue', `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`);
    }
    const binary = value.DataType.startsWith('Binary');
    const raw = binary ? value.BinaryValue : value.StringValue;
    if (typeof raw !== 'string' || raw.length === 0) {
      return invalid('InvalidParameterValue', `The message attribute '${name}' with type '${value.DataType}' must use field '${binary ? 'Binary' : 'String'}'.`);
    }
    if (binary && !base64Bytes(raw)) return invalid('InvalidParameterValue', `The message attribute '${name}' has an invalid base64 BinaryValue.`);
    if (!binary && !VALID_TEXT.test(raw)) return invalid('InvalidMessageContents', `The message attribute '${name}' contains invalid characters.`);
    if (value.DataType.startsWith('Number') && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw.trim())) {
      return invalid('InvalidParameterValue', `Can't cast the value of message (user) attribute '${name}' to a number.`);
    }
    bytes += utf8.encode(name).byteLength + utf8.encode(value.DataType).byteLength + (binary ? base64Bytes(raw)!.byteLength : utf8.encode(raw).byteLength);
  }
  if (bytes > maxMessageBytes) return invalid('InvalidParameterValue', `One or more parameters are invalid. Reason: Message must be shorter than ${maxMessageBytes} bytes.`);
  return undefined;
}

/** Lowercase hex MD5 of a string's UTF-8 bytes, or of raw bytes. */
export async function md5Hex(data: string | Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('MD5', typeof data === 'string' ? utf8.encode(data) : data);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * MD5OfMessageAttributes as AWS documents it: for each attribute in name order, the name, the
 * data type and the value, each as a 4-byte big-endian length and its bytes, with a transport
 * byte (1 string, 2 binary) before the value. Undefined when there are no attributes.
 */
export async function md5OfMessageAttributes(attributes: MessageAttributes): Promise<string | undefined> {
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const parts: Uint8Array[] = [];
  const field = (bytes: Uint8Array) => {
    const length = new Uint8Array(4);
    new DataView(length.buffer).setUint32(0, bytes.byteLength);
    parts.push(length, bytes);
  };
  for (const name of names) {
    const { DataType, StringValue, BinaryValue } = attributes[name];
    field(utf8.encode(name));
    field(utf8.encode(DataType));
    const binary = DataType.startsWith('Binary');
    parts.push(new Uint8Array([binary ? 2 : 1]));
    field(binary ? (base64Bytes(BinaryValue ?? '') ?? new Uint8Array()) : utf8.encode(StringValue ?? ''));
  }
  const all = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const p of parts) {
    all.set(p, offset);
    offset += p.byteLength;
  }
  return md5Hex(all);
}

/** The bytes of a base64 string, or undefined when it is not base64. */
function base64Bytes(base64: string): Uint8Array | undefined {
  try {
    return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

function invalid(error: QueueFailure['error'], message: string): QueueFailure {
  return { ok: false, error, message };
}
