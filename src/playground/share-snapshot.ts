// A share's snapshot (docs/PLAYGROUND-SHARES.md): its JSON shape, its limits, its token, and where
// it lies in R2. The R2 keys name only a hash of the token and never the account, so neither a
// listing of the bucket nor the account's id leads to a share's link.
import type { pricesShown } from '../billing/statement';
import type { UsageRecord } from '../billing/usage-ledger';

/** A snapshot's JSON text is at most this long, in bytes (UTF-8). */
export const SHARE_SNAPSHOT_MAX_BYTES = 1024 * 1024;
/** Invocations one share may carry (test events are bounded by the function's own 10). */
export const SHARE_INVOCATIONS_MAX = 10;
/** Log lines read for one shared invocation: more than any invocation within the snapshot's bytes. */
export const SHARE_LOG_LINES_MAX = 10_000;
/** Expired shares the every-minute sweep deletes per run; the rest wait for the next minute. */
export const SHARE_SWEEP_MAX_PER_RUN = 500;

/** The settings a share and an export both carry, as GetFunctionConfiguration names them. */
export interface RecreatableConfiguration {
  FunctionName: string;
  Runtime: string;
  Handler: string;
  Description: string;
  Timeout: number;
  MemorySize: number;
  TracingConfig: { Mode: 'Active' | 'PassThrough' };
  EphemeralStorage: { Size: number };
  Architectures: string[];
}

/** A snapshot as stored and as GET /api/playground/shares/<token> answers it. Immutable once stored. */
export interface ShareSnapshot {
  FormatVersion: 1;
  CreatedAt: string;
  ExpiresAt: string;
  /** The configuration, without any ARN (they name the account) and with the variables' names only. */
  Function: RecreatableConfiguration & {
    CodeSha256: string;
    CodeSize: number;
    LastModified: string;
    EnvironmentVariableNames: string[];
  };
  Code: {
    /** The zip's text files (UTF-8), by path. */
    Files: { Path: string; Content: string }[];
    /** Files that are not UTF-8 text: named, not carried (a fork lacks them). */
    OmittedFiles: { Path: string; Bytes: number }[];
  };
  TestEvents: { Name: string; Event: string }[];
  Invocations: SharedInvocation[];
  /** The prices the costs were computed with (the billing API's Prices). */
  Prices: ReturnType<typeof pricesShown>;
}

/** One invocation as the console's invocation page reads it: its log lines (REPORT among them) and its usage, per attempt. */
export interface SharedInvocation {
  RequestId: string;
  LogLines: { Timestamp: number; LogStreamName: string; Message: string }[];
  /** The billing API's usage records of the request id: one per attempt, with its cost. */
  Attempts: UsageRecord[];
}

/** Base64url without padding. */
function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A new share token: 128 random bits, base64url (22 characters). */
export function newShareToken(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(16)));
}

/** Whether `text` has a token's form; anything else cannot name a share. */
export function isShareToken(text: string): boolean {
  return /^[A-Za-z0-9_-]{22}$/.test(text);
}

/** Hex SHA-256 of the token: what the bucket knows of it. */
export async function shareTokenHash(token: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token)));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** R2 key of a snapshot. */
export const shareKey = (tokenHash: string) => `shares/${tokenHash}`;

/** Prefix of the expiry index: one empty object per share, ordered by expiry, so the sweep reads only what is due. */
export const SHARE_EXPIRY_PREFIX = 'shares-expiry/';

/** The index entry of a share: its expiry, zero-padded so that keys sort by time, then its hash. */
export function shareExpiryKey(expiresAtMs: number, tokenHash: string): string {
  return `${SHARE_EXPIRY_PREFIX}${String(expiresAtMs).padStart(15, '0')}/${tokenHash}`;
}

/** The expiry and hash an index key names, or undefined for a key of another form. */
export function parseShareExpiryKey(key: string): { expiresAtMs: number; tokenHash: string } | undefined {
  const match = /^shares-expiry\/(\d{15})\/([0-9a-f]{64})$/.exec(key);
  return match ? { expiresAtMs: Number(match[1]), tokenHash: match[2] } : undefined;
}
