// What a schedule delivers: EventBridge's Scheduled Event (or the target's own Input), sent to
// the target function as an asynchronous invocation, so the async retry rules apply to it.
import type { Caller } from '../function-names';
import { functionRegistry } from '../bindings';
import { resolveQualifier } from '../invoke/resolve-qualifier';
import { enqueueEvent } from '../invoke/async-events';

/** One target's share of one rule firing, kept in the ScheduleStore's outbox until it is queued. */
export interface Firing {
  requestId: string;
  functionName: string;
  eventJson: string;
}

export function ruleArn(caller: Caller, ruleName: string): string {
  return `arn:aws:events:${caller.region}:${caller.accountId}:rule/${ruleName}`;
}

/**
 * EventBridge's Scheduled Event. `time` is the scheduled time (not when it was sent), in ISO
 * 8601 without milliseconds as AWS writes it: 2026-11-27T03:00:00Z.
 */
export function scheduledEvent(caller: Caller, ruleName: string, eventId: string, scheduledMs: number) {
  return {
    version: '0',
    id: eventId,
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: caller.accountId,
    time: new Date(scheduledMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: caller.region,
    resources: [ruleArn(caller, ruleName)],
    detail: {},
  };
}

/**
 * Queues one firing as an async invocation of the target (`name` or `name:qualifier`; an alias
 * picks its version now, as an async Invoke would). Resolves false when the function, version or
 * alias no longer exists (EventBridge counts that as a failed invocation; there is nobody to
 * deliver it to).
 */
export async function enqueueFiring(env: Env, waitUntil: (p: Promise<unknown>) => void, caller: Caller, firing: Firing): Promise<boolean> {
  const [name, qualifier] = firing.functionName.split(':');
  const resolved = await resolveQualifier(functionRegistry(env, caller.accountId), name, qualifier);
  if (!resolved) return false;
  await enqueueEvent(env, waitUntil, caller, resolved.record, firing.requestId, firing.eventJson, { qualifier });
  return true;
}
