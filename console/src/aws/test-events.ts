// Saved test events of a function, kept by faasbox (GET/PUT/DELETE
// /api/functions/<name>/test-events[/<event name>]): at most 10 per function, the same in every
// browser the account signs in from.
import { restJson } from './client';

export interface SavedTestEvent {
  Name: string;
  /** The event as JSON text, exactly as saved; absent when it could not be decrypted (then Error). */
  Event?: string;
  Error?: { ErrorCode: string; Message: string };
  LastModified: string;
}

const path = (functionName: string, eventName?: string) =>
  `/api/functions/${encodeURIComponent(functionName)}/test-events${eventName === undefined ? '' : `/${encodeURIComponent(eventName)}`}`;

export async function listTestEvents(functionName: string): Promise<SavedTestEvent[]> {
  return (await restJson<{ TestEvents: SavedTestEvent[] }>('GET', path(functionName))).TestEvents;
}

export function saveTestEvent(functionName: string, eventName: string, eventJson: string): Promise<SavedTestEvent> {
  return restJson('PUT', path(functionName, eventName), { Event: eventJson });
}

export function deleteTestEvent(functionName: string, eventName: string): Promise<void> {
  return restJson('DELETE', path(functionName, eventName));
}
