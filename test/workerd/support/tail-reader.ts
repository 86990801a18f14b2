// Reads a live tail (GET /api/logs/tail) the way a client does: server-sent events off the response body.
import type { TestClient } from './signed-client';

export interface TailEvent {
  id: number;
  logStreamName: string;
  timestamp: number;
  ingestionTime: number;
  message: string;
}

/** Opens a tail; `query` is the route's query string (logGroupName, filterPattern). */
export function openTail(client: TestClient, query: string, headers: Record<string, string> = {}): Promise<Response> {
  return client.send('GET', `/api/logs/tail?${query}`, undefined, headers);
}

/** Reads server-sent events off a tail response, one `event: log` at a time. */
export class TailReader {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private buffer = '';
  private readonly decoder = new TextDecoder();

  constructor(response: Response) {
    this.reader = response.body!.getReader();
  }

  /** Reads until `count` log events have arrived (or the stream ends). */
  async take(count: number): Promise<TailEvent[]> {
    const events: TailEvent[] = [];
    while (events.length < count) {
      const end = this.buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        const fields = Object.fromEntries(block.split('\n').filter((l) => !l.startsWith(':')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]));
        if (fields.event === 'log') events.push({ id: Number(fields.id), ...JSON.parse(fields.data) });
        continue;
      }
      const { value, done } = await this.reader.read();
      if (done) break;
      this.buffer += this.decoder.decode(value, { stream: true });
    }
    return events;
  }

  async close(): Promise<void> {
    await this.reader.cancel();
  }
}
