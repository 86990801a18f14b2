// CloudWatch Logs as the console reads it: the live tail (faasbox's signed server-sent event
// stream, read with fetch because EventSource cannot sign, resumed with Last-Event-ID after a drop)
// and FilterLogEvents page by page.
import { createParser } from 'eventsource-parser';
import { ApiError, awsJson, errorOf, signedFetch } from './client';

export interface LogLine {
  /** The event id (the stream's `id:`), increasing within a group. */
  id: string;
  logStreamName: string;
  timestamp: number;
  message: string;
}

export type TailState = 'connecting' | 'live' | 'reconnecting' | 'stopped';

export interface TailHandlers {
  onLines(lines: LogLine[]): void;
  onState(state: TailState, error?: ApiError): void;
}

/** The group a function's lines go to: its LoggingConfig.LogGroup when its configuration is at hand, else the default one. */
export const functionLogGroup = (functionName: string, config?: { LoggingConfig?: { LogGroup?: string } }) =>
  config?.LoggingConfig?.LogGroup ?? `/aws/lambda/${functionName}`;

/** Pause before a reconnect, growing with each failure in a row up to the last value. */
const RECONNECT_DELAYS_MS = [500, 1000, 2000, 5000];

/**
 * Follows `logGroupName` until `signal` aborts: lines as they are written, handed over in the
 * order the stream sent them (several per call when they came in one chunk). A dropped stream is
 * opened again from the last event seen, so nothing is missed or repeated. A refusal of the
 * request itself (404 for an unknown group, 403) stops the tail: retrying would not change it.
 */
export async function followLogGroup(logGroupName: string, handlers: TailHandlers, signal: AbortSignal): Promise<void> {
  let lastEventId: string | undefined;
  let failures = 0;
  while (!signal.aborted) {
    handlers.onState(lastEventId === undefined && failures === 0 ? 'connecting' : 'reconnecting');
    try {
      const response = await signedFetch('lambda', `/api/logs/tail?logGroupName=${encodeURIComponent(logGroupName)}`, {
        headers: lastEventId === undefined ? {} : { 'last-event-id': lastEventId },
        signal,
      });
      if (!response.ok) {
        const error = await errorOf(response);
        if (response.status < 500 && response.status !== 429) {
          handlers.onState('stopped', error);
          return;
        }
        throw error;
      }
      handlers.onState('live');
      failures = 0;
      let batch: LogLine[] = [];
      const parser = createParser({
        onEvent(event) {
          if (event.event !== 'log') return;
          const data = JSON.parse(event.data) as Omit<LogLine, 'id'>;
          if (event.id !== undefined) lastEventId = event.id;
          batch.push({ id: event.id ?? '', logStreamName: data.logStreamName, timestamp: data.timestamp, message: data.message });
        },
      });
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.feed(value);
        if (batch.length > 0) {
          handlers.onLines(batch);
          batch = [];
        }
      }
    } catch (error) {
      if (signal.aborted) break;
      failures++;
      if (error instanceof ApiError && failures > RECONNECT_DELAYS_MS.length * 3) {
        handlers.onState('stopped', error);
        return;
      }
    }
    if (signal.aborted) break;
    // The stream ended (the server closes a reader that fell behind) or failed: go on from the
    // last event seen, at once after an end, after a growing pause after failures.
    handlers.onState('reconnecting');
    if (failures > 0) await new Promise((resolve) => setTimeout(resolve, RECONNECT_DELAYS_MS[Math.min(failures - 1, RECONNECT_DELAYS_MS.length - 1)]));
  }
  handlers.onState('stopped');
}

export interface FilteredLogEvent {
  eventId: string;
  logStreamName: string;
  timestamp: number;
  ingestionTime?: number;
  message: string;
}

/** Every event of `logGroupName` matching `filterPattern`, following nextToken up to `maxEvents`. */
export async function filterLogEvents(logGroupName: string, filterPattern: string, maxEvents = 10_000): Promise<FilteredLogEvent[]> {
  const events: FilteredLogEvent[] = [];
  let nextToken: string | undefined;
  // A page may be partial (the server scans a bounded number of rows) and even empty: follow the
  // token while it changes; a bounded number of pages keeps a huge group from holding the page.
  for (let pages = 0; pages < 100 && events.length < maxEvents; pages++) {
    const page: { events: FilteredLogEvent[]; nextToken?: string } = await awsJson('logs', 'FilterLogEvents', {
      logGroupName,
      filterPattern,
      ...(nextToken ? { nextToken } : {}),
    });
    events.push(...page.events);
    if (!page.nextToken || page.nextToken === nextToken) break;
    nextToken = page.nextToken;
  }
  return events;
}
