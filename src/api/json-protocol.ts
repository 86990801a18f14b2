// AWS's JSON protocols (1.0 and 1.1: POST / with `X-Amz-Target: <Service>.<Op>`), shared by the
// services that speak them: their error shape and their request body.
import { LambdaError } from '../errors';

/**
 * An error in the JSON protocol's shape: HTTP 400, `x-amzn-ErrorType` and `{"__type": code, "message"}`.
 * @example throw new AwsJsonError('ResourceNotFoundException', 'Rule r does not exist on EventBus default.', 'application/x-amz-json-1.1')
 */
export class AwsJsonError extends LambdaError {
  constructor(readonly code: string, message: string, private readonly contentType: string) {
    super(400, code, message);
  }

  override toResponse(): Response {
    return new Response(JSON.stringify({ __type: this.code, message: this.message }), {
      status: this.status,
      headers: { 'content-type': this.contentType, 'x-amzn-ErrorType': this.code },
    });
  }
}

/** The body as a JSON object (empty means `{}`), or undefined when it is not one. */
export function jsonObjectBody(body: Uint8Array): Record<string, unknown> | undefined {
  const text = new TextDecoder().decode(body);
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Not JSON: the caller answers with its service's SerializationException.
  }
  return undefined;
}
