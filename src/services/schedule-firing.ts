// A schedule rule's firing becomes an async invocation of its target: the operation ScheduleStore's
// alarm runs (handed to the deployed object by src/index.ts).
import type { Caller } from '../function-names';
import { enqueueEvent } from '../invoke/async-events';
import type { Firing } from '../schedules/scheduled-event';
import { resolveFunction } from './resolve-function';

/**
 * Queues one firing as an async invocation of the target (`name` or `name:qualifier`; an alias
 * picks its version now, as an async Invoke would). Resolves false when the function, version or
 * alias no longer exists (EventBridge counts that as a failed invocation; there is nobody to
 * deliver it to).
 */
export async function enqueueFiring(env: Env, waitUntil: (p: Promise<unknown>) => void, caller: Caller, firing: Firing): Promise<boolean> {
  const [name, qualifier] = firing.functionName.split(':');
  const resolved = await resolveFunction(env, caller.accountId, name, qualifier);
  if (!resolved) return false;
  await enqueueEvent(env, waitUntil, caller, resolved.record, firing.requestId, firing.eventJson, { qualifier });
  return true;
}
