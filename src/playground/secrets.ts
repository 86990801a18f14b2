// The playground's keys, each derived with HKDF from the platform's root key (FAASBOX_ENCRYPTION_KEY)
// under its own purpose label, so no playground code ever holds or uses the raw root key.
import { base64ToBytes } from '../base64';

/** Fixed HKDF salt: it only separates the playground's uses of the root key from encryption at rest's. */
const HKDF_SALT = new TextEncoder().encode('faasbox playground');

/** What a derived key is for: its HKDF info label. */
export type PlaygroundPurpose =
  | 'proof of work challenge signature'
  | 'proof of work key signature'
  | 'client address hash';

/** Derived keys per isolate, by root key and purpose (bits, not the root key itself). */
const derived = new Map<string, Promise<Uint8Array>>();

/** 32 bytes derived from `rootKeyBase64` for `purpose` (HKDF-SHA-256). */
export function playgroundSecret(rootKeyBase64: string, purpose: PlaygroundPurpose): Promise<Uint8Array> {
  const cacheKey = `${purpose}\n${rootKeyBase64}`;
  let secret = derived.get(cacheKey);
  if (!secret) {
    secret = (async () => {
      const material = await crypto.subtle.importKey('raw', base64ToBytes(rootKeyBase64), 'HKDF', false, ['deriveBits']);
      const info = new TextEncoder().encode(purpose);
      return new Uint8Array(await crypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: HKDF_SALT, info }, material, 256));
    })();
    derived.set(cacheKey, secret);
  }
  return secret;
}

/** Lowercase hex of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** HMAC-SHA-256 of `text` under `key`, as hex. */
export async function hmacHex(key: Uint8Array, text: string): Promise<string> {
  const hmacKey = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return toHex(new Uint8Array(await crypto.subtle.sign('HMAC', hmacKey, new TextEncoder().encode(text))));
}
