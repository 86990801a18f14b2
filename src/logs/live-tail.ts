// Live tail: server-sent event streams of a log group's new events, pushed by the LogStore the
// moment an invocation's lines are written. Owns every open subscriber stream of one LogStore.
import { matchesFilter, type FilterTerms } from './filter-pattern';
import type { ReadLogEvent } from '../records/logs';

/** A comment line every so often keeps proxies from closing an idle stream. */
const KEEPALIVE_MS = 15_000;
/** A subscriber this far behind (bytes queued, unread) is closed; it resumes with Last-Event-ID. */
const MAX_UNREAD_BYTES = 1024 * 1024;

interface Subscriber {
  controller: ReadableStreamDefaultController<Uint8Array>;
  terms: FilterTerms;
}

const encoder = new TextEncoder();

export class LiveTails {
  private readonly byGroup = new Map<string, Set<Subscriber>>();
  private keepalive: ReturnType<typeof setInterval> | undefined;

  /** Opens a stream: `backlog` first (events missed since Last-Event-ID), then live events. */
  open(logGroupName: string, terms: FilterTerms, backlog: ReadLogEvent[]): ReadableStream<Uint8Array> {
    let subscriber: Subscriber;
    return new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          subscriber = { controller, terms };
          controller.enqueue(encoder.encode(`retry: 1000\n: tailing ${logGroupName}\n\n`));
          for (const event of backlog) this.send(subscriber, event);
          let group = this.byGroup.get(logGroupName);
          if (!group) this.byGroup.set(logGroupName, (group = new Set()));
          group.add(subscriber);
          this.keepalive ??= setInterval(() => this.ping(), KEEPALIVE_MS);
        },
        cancel: () => this.remove(logGroupName, subscriber),
      },
      { highWaterMark: MAX_UNREAD_BYTES, size: (chunk) => chunk.byteLength },
    );
  }

  /** Pushes newly stored events to the group's subscribers whose filter they match. */
  publish(logGroupName: string, events: ReadLogEvent[]): void {
    const group = this.byGroup.get(logGroupName);
    if (!group) return;
    for (const subscriber of group) {
      for (const event of events) {
        if (!this.send(subscriber, event)) {
          this.remove(logGroupName, subscriber);
          break;
        }
      }
    }
  }

  /** Ends every stream of a group (the group was deleted). */
  closeGroup(logGroupName: string): void {
    for (const subscriber of this.byGroup.get(logGroupName) ?? []) {
      this.tryClose(subscriber);
      this.remove(logGroupName, subscriber);
    }
  }

  /** Writes one event; false when the subscriber is gone or too far behind (then closed). */
  private send(subscriber: Subscriber, event: ReadLogEvent): boolean {
    if (!matchesFilter(subscriber.terms, event.message)) return true;
    const data = JSON.stringify({ logStreamName: event.logStreamName, timestamp: event.timestamp, ingestionTime: event.ingestionTime, message: event.message });
    try {
      subscriber.controller.enqueue(encoder.encode(`id: ${event.id}\nevent: log\ndata: ${data}\n\n`));
    } catch {
      return false; // closed or errored by the reader
    }
    if ((subscriber.controller.desiredSize ?? 0) < 0) {
      this.tryClose(subscriber);
      return false;
    }
    return true;
  }

  private ping(): void {
    for (const [logGroupName, group] of this.byGroup) {
      for (const subscriber of group) {
        try {
          subscriber.controller.enqueue(encoder.encode(': keepalive\n\n'));
        } catch {
          this.remove(logGroupName, subscriber);
        }
      }
    }
  }

  private tryClose(subscriber: Subscriber): void {
    try {
      subscriber.controller.close();
    } catch {
      // already closed
    }
  }

  private remove(logGroupName: string, subscriber: Subscriber): void {
    const group = this.byGroup.get(logGroupName);
    group?.delete(subscriber);
    if (group?.size === 0) this.byGroup.delete(logGroupName);
    if (this.byGroup.size === 0 && this.keepalive !== undefined) {
      clearInterval(this.keepalive);
      this.keepalive = undefined;
    }
  }
}
