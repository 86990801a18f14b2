// What a schedule delivers: EventBridge's Scheduled Event (or the target's own Input), sent to
// the target function as an asynchronous invocation, so the async retry rules apply to it.
import type { Caller } from '../function-names';

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
