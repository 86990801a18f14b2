// Invoke as the Test tab does it (RequestResponse with LogType Tail, or Event), read from the raw
// response so its headers (X-Amz-Function-Error, X-Amz-Log-Result, X-Amz-Executed-Version,
// x-amzn-RequestId) are seen; and the cost of one invocation from faasbox's billing API.
import type { UsageRecord } from './metrics';
import { errorOf, restJson, signedFetch } from './client';
import { lambdaPath } from './lambda';

export type InvocationType = 'RequestResponse' | 'Event';

/** A synchronous invocation's answer (a function error is still a 200 with X-Amz-Function-Error). */
export interface SyncInvocation {
  type: 'RequestResponse';
  requestId: string;
  status: number;
  /** 'Unhandled' when the function failed: the payload is then {errorType, errorMessage, trace}. */
  functionError?: string;
  payload: string;
  /** The last 4 KB of the invocation's log, decoded from X-Amz-Log-Result. */
  logTail: string;
  executedVersion: string;
  /** faasbox's X-Faasbox-Logs-Denied: why none of its lines reached the log group (its execution role may not write them). */
  logsDenied?: string;
}

/** An Event invocation: accepted (202) and queued. */
export interface AsyncInvocation {
  type: 'Event';
  requestId: string;
  status: number;
}

export type Invocation = SyncInvocation | AsyncInvocation;

/** Base64 of UTF-8 text (X-Amz-Log-Result) as text. */
function decodeBase64Utf8(base64: string): string {
  const bytes = Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/**
 * Invokes `functionName` with `payload` (JSON text). Throws ApiError on a refusal (a 429 throttle
 * among them, at once: the client never retries).
 */
export async function invoke(functionName: string, payload: string, type: InvocationType, qualifier?: string): Promise<Invocation> {
  const query = qualifier ? `?Qualifier=${encodeURIComponent(qualifier)}` : '';
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-amz-invocation-type': type };
  if (type === 'RequestResponse') headers['x-amz-log-type'] = 'Tail';
  const response = await signedFetch('lambda', lambdaPath(`/functions/${encodeURIComponent(functionName)}/invocations${query}`), { method: 'POST', headers, body: payload });
  if (!response.ok) throw await errorOf(response);
  const requestId = response.headers.get('x-amzn-requestid') ?? '';
  if (type === 'Event') return { type, requestId, status: response.status };
  const logResult = response.headers.get('x-amz-log-result');
  return {
    type,
    requestId,
    status: response.status,
    functionError: response.headers.get('x-amz-function-error') ?? undefined,
    payload: await response.text(),
    logTail: logResult ? decodeBase64Utf8(logResult) : '',
    executedVersion: response.headers.get('x-amz-executed-version') ?? '$LATEST',
    logsDenied: response.headers.get('x-faasbox-logs-denied') ?? undefined,
  };
}

/** One invocation's usage record (docs/BILLING.md), as the Billing page reads them too. */
export type InvocationUsage = UsageRecord;

export interface Prices {
  Currency: string;
  PricePerMillionRequests: string;
  PricePerGBSecond: string;
  FreeTierRequests: number;
  FreeTierGBSeconds: string;
  BilledDurationGranularityMs: number;
}

/** The usage records of a request id (one per attempt: an async event retried has several). */
export async function invocationUsage(requestId: string): Promise<InvocationUsage[]> {
  const page = await restJson<{ Invocations: InvocationUsage[] }>('GET', `/api/billing/invocations?RequestId=${encodeURIComponent(requestId)}`);
  return page.Invocations;
}

/**
 * The usage records of `requestId`, asked again for a while: faasbox writes them just after the
 * response (waitUntil), so the first ask can come before they exist. Empty when none came.
 */
export async function awaitInvocationUsage(requestId: string, attempts = 10, pauseMs = 300): Promise<InvocationUsage[]> {
  for (let i = 0; i < attempts; i++) {
    const records = await invocationUsage(requestId);
    if (records.length > 0) return records;
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
  return [];
}

let pricesOfMonth: { month: string; prices: Promise<Prices> } | undefined;

/** The configured prices (from this month's statement), asked once per month and page load. */
export function billingPrices(): Promise<Prices> {
  const month = new Date().toISOString().slice(0, 7);
  if (pricesOfMonth?.month !== month) {
    const prices = restJson<{ Prices: Prices }>('GET', `/api/billing/statement?Month=${month}`).then((s) => s.Prices);
    prices.catch(() => { pricesOfMonth = undefined; });
    pricesOfMonth = { month, prices };
  }
  return pricesOfMonth.prices;
}

/** A result this tab saw, kept for its invocation page (sessionStorage: this tab only). */
export interface RememberedResult {
  functionName: string;
  invokedAtMs: number;
  invocation: Invocation;
}

const RESULTS_KEY = 'faasbox.invocation-results';
/** Results kept; older ones are forgotten. */
const RESULTS_KEPT = 20;

function rememberedResults(): RememberedResult[] {
  try {
    return JSON.parse(sessionStorage.getItem(RESULTS_KEY) ?? '[]') as RememberedResult[];
  } catch {
    return [];
  }
}

export function rememberResult(result: RememberedResult): void {
  const kept = [result, ...rememberedResults().filter((r) => r.invocation.requestId !== result.invocation.requestId)].slice(0, RESULTS_KEPT);
  try {
    sessionStorage.setItem(RESULTS_KEY, JSON.stringify(kept));
  } catch {
    // Storage full (a huge response): the page simply will not have this result.
  }
}

export function rememberedResult(requestId: string): RememberedResult | undefined {
  return rememberedResults().find((r) => r.invocation.requestId === requestId);
}
