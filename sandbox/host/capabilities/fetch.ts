// Fetch capability: owns one invocation's outbound requests (count, body caps, egress rules at
// the start and at every redirect, in-flight set, completions, and the record of each request for
// traces). close() aborts every request still in flight; after it no completion reaches the guest.
import type { FetchRecord, GuestCapabilities } from '../../contract';
import { egressRefusal, FIXED_RULES_ONLY } from '../egress';

/** The error recorded for a request the end of its invocation aborted. */
const ENDED_BEFORE_RESPONSE = 'the invocation ended before the response';

/** Redirects one fetch follows before it fails, as the Fetch standard's limit. */
const MAX_REDIRECTS = 20;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** A finished fetch, ready to hand to the guest: response metadata as JSON and the body bytes. */
export interface FetchCompletion {
  id: number;
  metaJson: string;
  body?: Uint8Array;
}

interface RequestMeta {
  url: string;
  method: string;
  headers: [string, string][];
  redirect?: 'follow' | 'manual' | 'error';
}

/** One request as the bridge sends it, hop after hop: the body stays bytes so a 307/308 can resend it. */
interface Hop {
  url: URL;
  method: string;
  headers: Headers;
  body: Uint8Array | undefined;
}

export class FetchBridge {
  private started = 0;
  private inFlightCount = 0;
  private completed: FetchCompletion[] = [];
  private wake: (() => void) | undefined;
  private wakeSignal: Promise<void> | undefined;
  private closed = false;
  /** Aborts every request of the invocation, and the reading of its response body, at close(). */
  private readonly aborter = new AbortController();
  /** Every request that left, in start order; a pending one has no `endedAtMs` yet. */
  private readonly records: Partial<FetchRecord>[] = [];

  constructor(private readonly capabilities: GuestCapabilities) {}

  get inFlight(): number {
    return this.inFlightCount;
  }

  /**
   * Starts a request for the guest; answers JSON `{"id":n}` or `{"error":"..."}` (the guest
   * throws the error as a TypeError). Never throws. A request the egress rules refuse never
   * leaves: like a malformed one, it is not counted against `maxFetchRequests` nor recorded.
   */
  start(metaJson: string, body: Uint8Array | undefined): string {
    const { maxFetchRequests, maxFetchBodyBytes } = this.capabilities;
    if (this.started >= maxFetchRequests) return JSON.stringify({ error: `fetch failed: more than ${maxFetchRequests} requests in one invocation` });
    if (body && body.byteLength > maxFetchBodyBytes) return JSON.stringify({ error: `fetch failed: request body exceeds ${maxFetchBodyBytes} bytes` });
    let request: Request;
    let redirect: RequestMeta['redirect'];
    try {
      const meta = JSON.parse(metaJson) as RequestMeta;
      request = new Request(meta.url, { method: meta.method, headers: meta.headers, body: body ?? null });
      redirect = meta.redirect ?? 'follow';
    } catch (error) {
      return JSON.stringify({ error: `fetch failed: ${error instanceof Error ? error.message : String(error)}` });
    }
    const url = new URL(request.url);
    const refusal = url.origin === this.capabilities.internalOrigin ? undefined : egressRefusal(url, this.rules);
    if (refusal) return JSON.stringify({ error: refusal });
    // Host is a forbidden request header (Fetch standard): the URL alone names where a request goes.
    const headers = new Headers(request.headers);
    headers.delete('host');
    const id = ++this.started;
    this.inFlightCount++;
    const record: Partial<FetchRecord> = { spanId: newSpanId(), method: request.method, url: request.url, startedAtMs: Date.now() };
    this.records.push(record);
    this.perform(id, { url, method: request.method, headers, body }, redirect, record).then((completion) => {
      this.inFlightCount--;
      if (this.closed) return;
      this.completed.push(completion);
      this.wake?.();
    });
    return JSON.stringify({ id });
  }

  /** Completions not yet handed to the guest, oldest first; the caller now owns them. */
  takeCompleted(): FetchCompletion[] {
    const out = this.completed;
    this.completed = [];
    return out;
  }

  /** Settles when the next fetch completes (or at once if one is waiting). */
  nextCompletion(): Promise<void> {
    if (this.completed.length > 0) return Promise.resolve();
    this.wakeSignal ??= new Promise<void>((resolve) => {
      this.wake = () => {
        this.wake = undefined;
        this.wakeSignal = undefined;
        resolve();
      };
    });
    return this.wakeSignal;
  }

  /**
   * The requests made so far, as plain data. One still pending when the invocation ended is
   * recorded as ended at that moment, with an error saying so.
   */
  fetchRecords(): FetchRecord[] {
    const nowMs = Date.now();
    return this.records.map((r) => (r.endedAtMs === undefined ? { ...r, endedAtMs: nowMs, error: ENDED_BEFORE_RESPONSE } : r) as FetchRecord);
  }

  /**
   * Ends the invocation's fetches: pending ones are aborted (the connection closed, the body no
   * longer read), completions are dropped. Nothing of an invocation outlives it, as in Lambda,
   * where the environment is frozen once the handler has answered.
   */
  close(): void {
    this.closed = true;
    this.completed = [];
    this.aborter.abort(new Error(ENDED_BEFORE_RESPONSE));
    this.wake?.();
  }

  private get rules() {
    return this.capabilities.egress ?? FIXED_RULES_ONLY;
  }

  /**
   * Sends `first` and, unless the guest asked for `manual`, follows redirects itself (the host's
   * fetch never does), so that every hop's URL passes the egress rules.
   */
  private async perform(id: number, first: Hop, redirect: RequestMeta['redirect'], record: Partial<FetchRecord>): Promise<FetchCompletion> {
    const ended = (fields: Partial<FetchRecord>) => {
      if (record.endedAtMs === undefined) Object.assign(record, fields, { endedAtMs: Date.now() });
    };
    const failed = (message: string, status?: number): FetchCompletion => {
      const error = this.closed ? ENDED_BEFORE_RESPONSE : message;
      ended(status === undefined ? { error } : { status, error });
      return { id, metaJson: JSON.stringify({ error }) };
    };
    try {
      let hop = first;
      let response: Response;
      for (let redirects = 0; ; redirects++) {
        response = await this.capabilities.fetch(new Request(hop.url, { method: hop.method, headers: hop.headers, body: hop.body ?? null, redirect: 'manual', signal: this.aborter.signal }), record.spanId!);
        const location = response.headers.get('location');
        if (redirect === 'manual' || !REDIRECT_STATUSES.has(response.status) || location === null) break;
        await response.body?.cancel().catch(() => undefined);
        if (redirect === 'error') return failed('fetch failed: the response is a redirect and redirect is "error"', response.status);
        if (redirects === MAX_REDIRECTS) return failed(`fetch failed: more than ${MAX_REDIRECTS} redirects`, response.status);
        let next: URL;
        try {
          next = new URL(location, hop.url);
        } catch {
          return failed(`fetch failed: the redirect location is not a URL: ${location}`, response.status);
        }
        const refusal = egressRefusal(next, this.rules);
        if (refusal) return failed(refusal, response.status);
        hop = redirected(hop, next, response.status);
      }
      const body = await readCapped(response, this.capabilities.maxFetchBodyBytes, this.aborter.signal);
      if (body === undefined) return failed(`fetch failed: response body exceeds ${this.capabilities.maxFetchBodyBytes} bytes`, response.status);
      ended({ status: response.status });
      const meta = { status: response.status, statusText: response.statusText, headers: [...response.headers], url: hop.url.href, redirected: hop !== first };
      return { id, metaJson: JSON.stringify(meta), body };
    } catch (error) {
      return failed(`fetch failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/**
 * The request after a redirect, as the Fetch standard builds it: 303 (and 301/302 of a POST)
 * becomes a GET without body or content headers; 307/308 keep method and body; Authorization is
 * not sent to another origin.
 */
function redirected(hop: Hop, next: URL, status: number): Hop {
  const headers = new Headers(hop.headers);
  if (next.origin !== hop.url.origin) headers.delete('authorization');
  if ((status === 303 && hop.method !== 'HEAD') || ((status === 301 || status === 302) && hop.method === 'POST')) {
    for (const name of ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location']) headers.delete(name);
    return { url: next, method: 'GET', headers, body: undefined };
  }
  return { url: next, method: hop.method, headers, body: hop.body };
}

/** A random 64-bit id as 16 hex digits (X-Ray's subsegment id, W3C's span id). */
function newSpanId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The whole body, or undefined as soon as it is known to exceed `maxBytes`; throws once `signal`
 * aborts (the body is cancelled then, whether or not the host's fetch ties it to the signal).
 */
async function readCapped(response: Response, maxBytes: number, signal: AbortSignal): Promise<Uint8Array | undefined> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    return undefined;
  }
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const cancel = () => void reader.cancel().catch(() => undefined);
  if (signal.aborted) cancel();
  else signal.addEventListener('abort', cancel, { once: true });
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      signal.throwIfAborted();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        return undefined;
      }
      chunks.push(value);
    }
  } finally {
    signal.removeEventListener('abort', cancel);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
