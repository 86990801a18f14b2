// EventBridge schedule expressions, `rate(N unit)` and `cron(six fields)`: parsing and the fire
// times both kinds share. All times are epoch milliseconds on whole UTC minutes.
import { latestCronTime, nextCronTime, parseCron, type CronSchedule } from './cron-expression';

/** Longest ScheduleExpression EventBridge accepts, in characters. */
export const SCHEDULE_EXPRESSION_MAX_CHARS = 256;

const MINUTE_MS = 60_000;
const UNIT_MS = { minute: MINUTE_MS, hour: 60 * MINUTE_MS, day: 24 * 60 * MINUTE_MS } as const;

export type Schedule = { kind: 'rate'; periodMs: number } | ({ kind: 'cron' } & CronSchedule);

/**
 * Parses a ScheduleExpression. A rate's unit is singular for 1 and plural otherwise, as AWS
 * requires (`rate(1 minute)`, `rate(5 minutes)`; `rate(1 minutes)` is invalid).
 * @example parseScheduleExpression('rate(5 minutes)') // { kind: 'rate', periodMs: 300000 }
 */
export function parseScheduleExpression(text: string): Schedule | { error: string } {
  if (text.length > SCHEDULE_EXPRESSION_MAX_CHARS) return { error: `longer than ${SCHEDULE_EXPRESSION_MAX_CHARS} characters` };
  const rate = /^rate\((\d+) (minute|hour|day)(s?)\)$/.exec(text);
  if (rate) {
    const [, count, unit, plural] = rate;
    const n = Number(count);
    if (!Number.isSafeInteger(n) || n < 1) return { error: 'the rate must be a positive whole number' };
    if ((n === 1) !== (plural === '')) return { error: `use '${unit}' for 1 and '${unit}s' for more` };
    return { kind: 'rate', periodMs: n * UNIT_MS[unit as keyof typeof UNIT_MS] };
  }
  const cron = /^cron\((.*)\)$/.exec(text);
  if (cron) {
    const schedule = parseCron(cron[1]);
    return 'error' in schedule ? schedule : { kind: 'cron', ...schedule };
  }
  return { error: 'expected rate(...) or cron(...)' };
}

/**
 * The first fire time strictly after `afterMs`. A rate counts from `anchorMs` (when the rule was
 * put), so `rate(5 minutes)` put at 10:02 fires at 10:07, 10:12...
 */
export function nextFireTime(schedule: Schedule, anchorMs: number, afterMs: number): number | undefined {
  if (schedule.kind === 'cron') return nextCronTime(schedule, afterMs);
  const anchor = floorToMinute(anchorMs);
  if (afterMs < anchor) return anchor + schedule.periodMs;
  return anchor + (Math.floor((afterMs - anchor) / schedule.periodMs) + 1) * schedule.periodMs;
}

/** The latest fire time at or before `atMs`; undefined when none has come yet. */
export function latestFireTime(schedule: Schedule, anchorMs: number, atMs: number): number | undefined {
  if (schedule.kind === 'cron') return latestCronTime(schedule, atMs);
  const anchor = floorToMinute(anchorMs);
  const periods = Math.floor((atMs - anchor) / schedule.periodMs);
  return periods >= 1 ? anchor + periods * schedule.periodMs : undefined;
}

function floorToMinute(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}
