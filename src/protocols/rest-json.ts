// AWS's restJson1 protocol (Lambda, X-Ray, faasbox's own API): operations are routes, the body
// is JSON, errors are `x-amzn-ErrorType` plus a JSON body with the message.
import { LambdaError, type RestJsonError } from '../errors';

/** The request body parsed as JSON, or AWS's SerializationException. Empty means `{}`. */
export function jsonBody(c: { get(key: 'body'): Uint8Array }): unknown {
  const text = new TextDecoder().decode(c.get('body'));
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new LambdaError(400, 'SerializationException', 'Request body is not valid JSON');
  }
}

/** The error response: the error's fields, then its message field. */
export function renderRestJsonError(error: RestJsonError): Response {
  return new Response(JSON.stringify({ ...error.fields, [error.messageField]: error.message }), {
    status: error.status,
    headers: { 'content-type': 'application/json', 'x-amzn-ErrorType': error.code, ...error.headers },
  });
}
