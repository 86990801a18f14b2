// Who is signed in: an access key pair kept in this tab only (sessionStorage, never a cookie or
// localStorage, never sent anywhere but as SigV4 signatures). Sign out forgets it.
import { signal, computed } from '@preact/signals';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** The account the keys belong to, learned at sign-in (from an ARN the API returned). */
  accountId: string;
}

const STORAGE_KEY = 'faasbox.credentials';

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

export function rememberCredentials(value: Credentials): void {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(value));
  credentials.value = value;
}

export function signOut(): void {
  sessionStorage.removeItem(STORAGE_KEY);
  credentials.value = undefined;
}

/** The region of every ARN and signature, as the Worker that served the page says. */
export const region = document.querySelector<HTMLMetaElement>('meta[name="faasbox-region"]')?.content || 'us-east-1';
/** This response's CSP nonce, for libraries that inject a <style> element (CodeMirror). */
export const cspNonce = document.querySelector<HTMLMetaElement>('meta[name="faasbox-nonce"]')?.content ?? '';
