// A sandbox's activity: each signed API request of its keys keeps it alive. Recorded at most about
// once a minute per sandbox per isolate (FAASBOX_PLAYGROUND_IDLE_SECONDS is far longer), after the
// response. Function URL traffic, schedules and queue triggers never come through here.
import { playgroundRegistry } from '../../bindings';

/** How often one isolate tells the registry that a sandbox is active. */
const ACTIVITY_INTERVAL_MS = 60_000;
/** Sandboxes one isolate remembers; past it the memory starts again (a few extra registry calls). */
const TRACKED_SANDBOXES_MAX = 10_000;

/** When this isolate last told the registry about each sandbox (ephemeral, per isolate). */
const lastRecordedMs = new Map<string, number>();

/** Notes that sandbox `accountId` was active at `nowMs`; the registry call, when due, goes to `waitUntil`. */
export function noteSandboxActivity(env: Env, accountId: string, nowMs: number, waitUntil: (promise: Promise<unknown>) => void): void {
  const last = lastRecordedMs.get(accountId);
  if (last !== undefined && nowMs - last < ACTIVITY_INTERVAL_MS) return;
  if (lastRecordedMs.size >= TRACKED_SANDBOXES_MAX) lastRecordedMs.clear();
  lastRecordedMs.set(accountId, nowMs);
  waitUntil(playgroundRegistry(env).recordActivity(accountId, nowMs).catch((error: unknown) => {
    lastRecordedMs.delete(accountId);
    console.error(`recording the activity of sandbox ${accountId} failed:`, error);
  }));
}
