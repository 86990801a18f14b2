// Small stateless host services the guest's polyfills bridge to: UTF-8, randomness, URL parsing.
// Owns nothing; each function takes and returns plain values.

const encoder = new TextEncoder();
const URL_FIELDS = ['href', 'origin', 'protocol', 'username', 'password', 'host', 'hostname', 'port', 'pathname', 'search', 'hash'] as const;
type SettableField = Exclude<(typeof URL_FIELDS)[number], 'origin'>;

export function encodeUtf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Undefined when `fatal` and the bytes are not valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array, fatal: boolean): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

export function randomBytes(count: number): Uint8Array {
  const bytes = new Uint8Array(Math.max(0, Math.min(count, 65536)));
  crypto.getRandomValues(bytes);
  return bytes;
}

/**
 * Parses `input` against `base` with the host's WHATWG URL, optionally sets one field, and
 * answers the fields as JSON, or '' when the URL is invalid.
 */
export function urlFields(input: string, base: string | undefined, field: string | undefined, value: string | undefined): string {
  try {
    const url = new URL(input, base);
    if (field !== undefined && value !== undefined && (URL_FIELDS as readonly string[]).includes(field) && field !== 'origin') {
      url[field as SettableField] = value;
    }
    const out: Record<string, string> = {};
    for (const name of URL_FIELDS) out[name] = url[name];
    return JSON.stringify(out);
  } catch {
    return '';
  }
}
