// The playground's API as the page calls it: the public, unsigned session routes under
// /api/playground (challenge, create, resume, end; each with the custom header the CSRF check
// wants, the browser adding Origin and the HttpOnly cookie), and the sandbox's own signed routes
// (GET /api/sandbox, /api/sandbox/usage, a function's export zip). Shapes as docs/PLAYGROUND.md has them.
import type { Challenge } from 'altcha-lib/types';
import { ApiError, errorOf, restJson, signedFetch } from './client';

/** The header every session request carries: a page on another origin cannot send it without CORS. */
const PLAYGROUND_HEADER = { 'x-faasbox-playground': '1' } as const;

export interface ChallengeAnswer {
  Challenge: Challenge;
  TurnstileSiteKey?: string;
}

/** What creating or resuming a sandbox answers: the sandbox, its keys (for memory only), the region. */
export interface SandboxSession {
  Sandbox: { AccountId: string; CreatedAt: string | number; EndsAt: string | number };
  AccessKey: { AccessKeyId: string; SecretAccessKey: string };
  Region: string;
}

/** GET /api/sandbox: which end applies (idle or max) and when. */
export interface SandboxStatus {
  AccountId: string;
  CreatedAt: string | number;
  LastActiveAt: string | number;
  EndsAt: string | number;
  EndsBecause: 'idle' | 'max';
}

export interface QuotaUsage {
  Name: string;
  Used: number;
  Limit: number;
  Unit: string;
}

/** GET /api/sandbox/usage: every cap with its use, and the cost against the cost cap. */
export interface SandboxUsage {
  Quotas: QuotaUsage[];
  Cost: { UsedUsd: string | number; CapUsd: string | number; Exceeded: boolean };
}

/** A refusal of the session API; a 429 says when to retry (Retry-After, seconds). */
export class PlaygroundRefusal extends ApiError {
  constructor(error: ApiError, readonly retryAfterSeconds?: number) {
    super(error.status, error.code, error.message);
  }
}

async function refusalOf(response: Response): Promise<PlaygroundRefusal> {
  const retryAfter = Number(response.headers.get('retry-after'));
  return new PlaygroundRefusal(await errorOf(response), Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined);
}

async function sessionCall<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: { ...PLAYGROUND_HEADER, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw await refusalOf(response);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

/** A fresh proof-of-work challenge (and Turnstile's site key when the deployment wants a token). */
export function getChallenge(): Promise<ChallengeAnswer> {
  return sessionCall('GET', '/api/playground/challenge');
}

/** Creates a sandbox; `proof` is altcha's payload (base64 JSON of challenge and solution). */
export function createSandbox(proof: string, turnstileToken?: string): Promise<SandboxSession> {
  return sessionCall('POST', '/api/playground/sandboxes', { Proof: proof, ...(turnstileToken ? { TurnstileToken: turnstileToken } : {}) });
}

/** The keys of this browser's live sandbox again (cookie); 404 ResourceNotFoundException when it has none. */
export function resumeSandbox(): Promise<SandboxSession> {
  return sessionCall('POST', '/api/playground/session');
}

/** Ends this browser's sandbox now (everything of it is deleted) and clears the cookie. */
export function endSandbox(): Promise<void> {
  return sessionCall('DELETE', '/api/playground/session');
}

export function getSandboxStatus(): Promise<SandboxStatus> {
  return restJson('GET', '/api/sandbox');
}

export function getSandboxUsage(): Promise<SandboxUsage> {
  return restJson('GET', '/api/sandbox/usage');
}

/** The export zip of a function (code, configuration, test events, recreate.sh). */
export async function exportFunction(functionName: string): Promise<Blob> {
  const response = await signedFetch('lambda', `/api/functions/${encodeURIComponent(functionName)}/export`);
  if (!response.ok) throw await errorOf(response);
  return response.blob();
}

/** A time of the API (ISO text, or epoch seconds or milliseconds) as epoch milliseconds. */
export function timeMs(value: string | number): number {
  if (typeof value === 'number') return value < 1e12 ? value * 1000 : value;
  return /^\d+(\.\d+)?$/.test(value) ? timeMs(Number(value)) : Date.parse(value);
}
