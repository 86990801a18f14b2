// EventBridge schedule rules and their targets, as the ScheduleStore answers them (docs/SCHEDULES.md).

/** At most this many targets per rule, as EventBridge. */
export const TARGETS_PER_RULE_MAX = 5;

export type RuleState = 'ENABLED' | 'DISABLED';

export interface RuleRecord {
  name: string;
  scheduleExpression: string;
  state: RuleState;
  description?: string;
  /** Epoch ms; undefined while disabled or when the schedule has no fire time left. */
  nextFireMs?: number;
}

export interface TargetRecord {
  id: string;
  arn: string;
  functionName: string;
  /** JSON sent instead of the Scheduled Event. */
  input?: string;
}
