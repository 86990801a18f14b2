// Encryption at rest (docs/SECURITY.md, "Encryption at rest"): AES-GCM through Web Crypto under one
// data key per account, derived with HKDF from the platform's root key (FAASBOX_ENCRYPTION_KEY),
// and the sealed text that Durable Objects store instead of the clear one.
// A leaf: it imports only config.ts and base64.ts of src/.
import { base64ToBytes, bytesToBase64 } from '../base64';
import { readConfig, type ConfigVariables } from '../config';

/** Why a text could not be sealed or opened: no root key, sealed under another root key, or altered/unreadable. */
export type SealFailure = 'no-key' | 'other-key' | 'corrupt';

/** A text faasbox cannot seal or open. Its message names keys by id only, never a value or a key. */
export class SealError extends Error {
  constructor(readonly reason: SealFailure, message: string) {
    super(message);
    this.name = 'SealError';
  }
}

/**
 * One account's cipher. `context` says what a text is (`environment:<function>`): it is
 * authenticated with the text, so a sealed text opens only as what, and for whom, it was sealed.
 * @example const sealed = await accountCipher(env, accountId).seal('s3cret', 'environment:fn');
 */
export interface AccountCipher {
  seal(plaintext: string, context: string): Promise<string>;
  /** The clear text; throws SealError when it cannot be opened (fails closed, never a guess). */
  open(sealed: string, context: string): Promise<string>;
}

/** Sealed texts start with this: format version 1 (AES-256-GCM, 96-bit IV, 128-bit tag). */
const FORMAT = 'fbx1';
const IV_BYTES = 12;
/** Fixed HKDF salt: the root key is already uniformly random; the salt only separates faasbox's uses. */
const HKDF_SALT = new TextEncoder().encode('faasbox encryption at rest');
/** Derived account keys kept per isolate (each is a non-extractable CryptoKey). */
const MAX_CACHED_ACCOUNT_KEYS = 1024;

interface RootKey {
  /** A fingerprint of the root key (HKDF output, not the key), written into every sealed text. */
  id: string;
  material: CryptoKey;
}

const roots = new Map<string, Promise<RootKey>>();
const accountKeys = new Map<string, Promise<CryptoKey>>();

/** The cipher of `accountId` under the root key of `env`'s FAASBOX_ENCRYPTION_KEY. */
export function accountCipher(env: ConfigVariables, accountId: string): AccountCipher {
  const rootText = readConfig(env).encryptionKey;
  const aad = (context: string) => new TextEncoder().encode(`${accountId}\n${context}`);
  const keys = async () => {
    if (rootText === undefined) {
      throw new SealError('no-key', 'FAASBOX_ENCRYPTION_KEY is not set: faasbox cannot encrypt or decrypt data at rest (npm start writes one to .dev.vars; in production: wrangler secret put FAASBOX_ENCRYPTION_KEY)');
    }
    const root = await rootKey(rootText);
    return { root, key: await accountKey(root, accountId) };
  };
  return {
    async seal(plaintext, context) {
      const { root, key } = await keys();
      const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
      const ciphertext = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad(context) }, key, new TextEncoder().encode(plaintext));
      const body = new Uint8Array(IV_BYTES + ciphertext.byteLength);
      body.set(iv);
      body.set(new Uint8Array(ciphertext), IV_BYTES);
      return `${FORMAT}.${root.id}.${bytesToBase64(body)}`;
    },
    async open(sealed, context) {
      const { root, key } = await keys();
      const [format, keyId, body, ...rest] = sealed.split('.');
      if (format !== FORMAT || keyId === undefined || body === undefined || rest.length > 0) {
        throw new SealError('corrupt', 'the stored text is not a faasbox sealed text');
      }
      if (keyId !== root.id) {
        throw new SealError('other-key', `the stored text was encrypted under root key ${keyId}, and FAASBOX_ENCRYPTION_KEY is root key ${root.id}`);
      }
      try {
        const bytes = base64ToBytes(body);
        const clear = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: bytes.subarray(0, IV_BYTES), additionalData: aad(context) }, key, bytes.subarray(IV_BYTES));
        return new TextDecoder().decode(clear);
      } catch {
        throw new SealError('corrupt', `the stored text does not decrypt under root key ${root.id} (altered, or sealed for another account or object)`);
      }
    },
  };
}

function rootKey(base64: string): Promise<RootKey> {
  let root = roots.get(base64);
  if (!root) {
    root = (async () => {
      const material = await crypto.subtle.importKey('raw', base64ToBytes(base64), 'HKDF', false, ['deriveKey', 'deriveBits']);
      const idBits = await crypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: HKDF_SALT, info: new TextEncoder().encode('key id') }, material, 64);
      const id = [...new Uint8Array(idBits)].map((b) => b.toString(16).padStart(2, '0')).join('');
      return { id, material };
    })();
    roots.set(base64, root);
  }
  return root;
}

/** The account's data key: HKDF-SHA-256(root, info = "account data key\n<account id>"), AES-256-GCM. */
function accountKey(root: RootKey, accountId: string): Promise<CryptoKey> {
  const cacheKey = `${root.id}/${accountId}`;
  let key = accountKeys.get(cacheKey);
  if (!key) {
    key = crypto.subtle.deriveKey(
      { name: 'HKDF', hash: 'SHA-256', salt: HKDF_SALT, info: new TextEncoder().encode(`account data key\n${accountId}`) },
      root.material,
      { name: 'AES-GCM', length: 256 },
      false,
      ['encrypt', 'decrypt'],
    );
    if (accountKeys.size >= MAX_CACHED_ACCOUNT_KEYS) accountKeys.delete(accountKeys.keys().next().value!);
    accountKeys.set(cacheKey, key);
  }
  return key;
}

/** Environment variables in clear: name -> value. */
export type EnvironmentVariables = Record<string, string>;

const environmentContext = (functionName: string) => `environment:${functionName}`;

/** Seals a function's variables; undefined when there are none (nothing to hide, and no key needed). */
export async function sealEnvironment(cipher: AccountCipher, functionName: string, variables: EnvironmentVariables): Promise<string | undefined> {
  if (Object.keys(variables).length === 0) return undefined;
  return cipher.seal(JSON.stringify(variables), environmentContext(functionName));
}

/** A function's variables from what its record stores (undefined: none). Throws SealError. */
export async function openEnvironment(cipher: AccountCipher, functionName: string, sealed: string | undefined): Promise<EnvironmentVariables> {
  if (sealed === undefined) return {};
  return JSON.parse(await cipher.open(sealed, environmentContext(functionName))) as EnvironmentVariables;
}

const TENANT_REASONS: Record<SealFailure, string> = {
  'no-key': 'faasbox has no encryption key configured',
  'other-key': 'the variables were encrypted under another faasbox encryption key',
  corrupt: "the stored variables do not decrypt under faasbox's encryption key",
};

/**
 * What a tenant is told when its variables cannot be opened: Lambda's sentence for a KMS failure
 * with faasbox's reason, naming no key id and no value (the platform log has the details).
 */
export function undecryptableEnvironmentMessage(reason: SealFailure): string {
  return `Lambda was unable to decrypt the environment variables because KMS access was denied. Please check the function's KMS key settings. KMS Exception: ${TENANT_REASONS[reason]}.`;
}
