// AWS's JSON protocols (1.0 and 1.1: POST / with `X-Amz-Target: <Service>.<Op>`), shared by the
// services that speak them: their request body (their error shape is AwsJsonError in ../errors).

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
