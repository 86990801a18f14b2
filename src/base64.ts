// Base64 for binary bodies and headers, without a per-byte string concatenation.

/** Standard base64 of `bytes` (chunked: spreading a large array into one call would overflow the stack). */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** The bytes of standard base64 `text`; throws on malformed input (atob's DOMException). */
export function base64ToBytes(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));
}
