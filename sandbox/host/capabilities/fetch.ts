// Fetch capability: owns one invocation's outbound requests (count, body caps, in-flight set,
// completions, and the record of each request for traces). After close() no completion reaches
// the guest.
import type { FetchRecord, GuestCapabilities } from '../../contract';

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

export class FetchBridge {
  private started = 0;
  private inFlightCount = 0;
  private completed: FetchCompletion[] = [];
  private wake: (() => void) | undefined;
  private wakeSignal: Promise<void> | undefined;
  private closed = false;
  /** Every request that left, in start order; a pending one has no `endedAtMs` yet. */
  private readonly records: Partial<FetchRecord>[] = [];

  constructor(private readonly capabilities: GuestCapabilities) {}

  get inFlight(): number {
    return this.inFlightCount;
  }

  /**
   * Starts a request for the guest; answers JSON `{"id":n}` or `{"error":"..."}` (the guest
   * throws the error as a TypeError). Never throws.
   */
  start(metaJson: string, body: Uint8Array | undefined): string {
    const { maxFetchRequests, maxFetchBodyBytes } = this.capabilities;
    if (this.started >= maxFetchRequests) return JSON.stringify({ error: `fetch failed: more than ${maxFetchRequests} requests in one invocation` });
    if (body && body.byteLength > maxFetchBodyBytes) return JSON.stringify({ error: `fetch failed: request body exceeds ${maxFetchBodyBytes} bytes` });
    let request: Request;
    try {
      const meta = JSON.parse(metaJson) as RequestMeta;
      request = new Request(meta.url, { method: meta.method, headers: meta.headers, body: body ?? null, redirect: meta.redirect ?? 'follow' });
    } catch (error) {
      return JSON.stringify({ error: `fetch failed: ${error instanceof Error ? error.message : String(error)}` });
    }
    const id = ++this.started;
    this.inFlightCount++;
    const record: Partial<FetchRecord> = { spanId: newSpanId(), method: request.method, url: request.url, startedAtMs: Date.now() };
    this.records.push(record);
    this.perform(id, request, record).then((completion) => {
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
    return this.records.map((r) => (r.endedAtMs === undefined ? { ...r, endedAtMs: nowMs, error: 'the invocation ended before the response' } : r) as FetchRecord);
  }

  /** Ends the invocation's fetches: pending ones finish unseen, completions are dropped. */
  close(): void {
    this.closed = true;
    this.completed = [];
    this.wake?.();
  }

  private async perform(id: number, request: Request, record: Partial<FetchRecord>): Promise<FetchCompletion> {
    const ended = (fields: Partial<FetchRecord>) => {
      if (record.endedAtMs === undefined) Object.assign(record, fields, { endedAtMs: Date.now() });
    };
    try {
      const response = await this.capabilities.fetch(request, record.spanId!);
      const body = await readCapped(response, this.capabilities.maxFetchBodyBytes);
      if (body === undefined) {
        const error = `fetch failed: response body exceeds ${this.capabilities.maxFetchBodyBytes} bytes`;
        ended({ status: response.status, error });
        return { id, metaJson: JSON.stringify({ error }) };
      }
      ended({ status: response.status });
      const meta = { status: response.status, statusText: response.statusText, headers: [...response.headers], url: response.url || request.url, redirected: response.redirected };
      return { id, metaJson: JSON.stringify(meta), body };
    } catch (error) {
      const message = `fetch failed: ${error instanceof Error ? error.message : String(error)}`;
      ended({ error: message });
      return { id, metaJson: JSON.stringify({ error: message }) };
    }
  }
}

/** A random 64-bit id as 16 hex digits (X-Ray's subsegment id, W3C's span id). */
function newSpanId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The whole body, or undefined as soon as it is known to exceed `maxBytes`. */
async function readCapped(response: Response, maxBytes: number): Promise<Uint8Array | undefined> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    return undefined;
  }
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
