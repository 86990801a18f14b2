// Who is signed in: an access key pair kept in this tab only, never in a cookie or localStorage,
// never sent anywhere but as SigV4 signatures. Account keys (sign-in) live in sessionStorage; a
// playground sandbox's keys only in memory (a module signal): after a reload the page asks for
// them again with its HttpOnly session cookie (POST /api/playground/session), so sessionStorage
// holds no more than a marker that this tab has a sandbox. Sign out forgets either.
import { signal, computed } from '@preact/signals';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** The account the keys belong to, learned at sign-in (from an ARN the API returned). */
  accountId: string;
  /** True for a playground sandbox's keys (held in memory only). */
  playground?: boolean;
}

const STORAGE_KEY = 'faasbox.credentials';
/** Set while this tab has a playground sandbox: no keys, only "ask the session again after a reload". */
const PLAYGROUND_MARKER_KEY = 'faasbox.playground-session';

function restore(): Credentials | undefined {
  try {
    const saved = sessionStorage.getItem(STORAGE_KEY);
    return saved ? (JSON.parse(saved) as Credentials) : undefined;
  } catch {
    return undefined;
  }
}

export const credentials = signal<Credentials | undefined>(restore());
export const signedIn = computed(() => credentials.value !== undefined);
/** True while the keys in use are a playground sandbox's. */
export const inSandbox = computed(() => credentials.value?.playground === true);

export function rememberCredentials(value: Credentials): void {
  sessionStorage.removeItem(PLAYGROUND_MARKER_KEY);
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(value));
  credentials.value = value;
}

/** A sandbox's keys: in memory only; the marker lets a reload fetch them again through the cookie. */
export function rememberSandboxCredentials(value: Omit<Credentials, 'playground'>): void {
  sessionStorage.removeItem(STORAGE_KEY);
  sessionStorage.setItem(PLAYGROUND_MARKER_KEY, '1');
  credentials.value = { ...value, playground: true };
}

/** Whether this tab had a sandbox before a reload (its keys are then asked for again). */
export function hadSandboxSession(): boolean {
  try {
    return sessionStorage.getItem(PLAYGROUND_MARKER_KEY) === '1';
  } catch {
    return false;
  }
}

export function signOut(): void {
  sessionStorage.removeItem(STORAGE_KEY);
  sessionStorage.removeItem(PLAYGROUND_MARKER_KEY);
  credentials.value = undefined;
}

/** The region of every ARN and signature, as the Worker that served the page says. */
export const region = document.querySelector<HTMLMetaElement>('meta[name="faasbox-region"]')?.content || 'us-east-1';
/** This response's CSP nonce, for libraries that inject a <style> element (CodeMirror). */
export const cspNonce = document.querySelector<HTMLMetaElement>('meta[name="faasbox-nonce"]')?.content ?? '';
