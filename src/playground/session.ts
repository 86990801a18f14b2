// The playground session: a random token in an HttpOnly `__Host-` cookie, of which the server keeps
// only the SHA-256 (a leaked registry row cannot be replayed as a cookie).

export const SESSION_COOKIE_NAME = '__Host-faasbox-sandbox';
/** Cookie attributes: `__Host-` requires Secure, Path=/ and no Domain; Strict keeps it off cross-site requests. */
const COOKIE_ATTRIBUTES = 'Path=/; Secure; HttpOnly; SameSite=Strict';
const TOKEN_BYTES = 32;

/** A new session token: 32 random bytes, base64url without padding. */
export function newSessionToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(TOKEN_BYTES));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The token's SHA-256 as hex: what the registry stores and looks sessions up by. */
export async function sessionTokenHash(token: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The Set-Cookie value that hands `token` to the browser. */
export function sessionCookie(token: string): string {
  return `${SESSION_COOKIE_NAME}=${token}; ${COOKIE_ATTRIBUTES}`;
}

/** The Set-Cookie value that removes the session cookie. */
export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE_NAME}=; ${COOKIE_ATTRIBUTES}; Max-Age=0`;
}

/** The session token in a Cookie header, or undefined. Only tokens of the shape newSessionToken makes count. */
export function sessionTokenOf(cookieHeader: string | null | undefined): string | undefined {
  for (const part of (cookieHeader ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== SESSION_COOKIE_NAME) continue;
    const value = part.slice(eq + 1).trim();
    if (/^[A-Za-z0-9_-]{43}$/.test(value)) return value;
  }
  return undefined;
}
