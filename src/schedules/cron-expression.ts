// AWS's six-field cron syntax (EventBridge, `cron(Minutes Hours Day-of-month Month Day-of-week
// Year)`), always in UTC: parsing, and the next and latest fire times. Written here rather than
// taken from a library: cron-parser and croner have no year field and treat `?` differently, and
// aws-cron-parser accepts malformed fields (`parseInt` leniency, no `?` rule) and gives up on
// sparse schedules after ten steps. The rules below follow the EventBridge documentation.

/** Fire times are whole minutes; the year field bounds them to [1970, 2199]. */
export const CRON_YEAR_MIN = 1970;
export const CRON_YEAR_MAX = 2199;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
/** Day-of-week 1 is Sunday, as in AWS (and Quartz), not 0. */
const WEEKDAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** Which days of a month fire: one of the special forms, or a plain set. */
type DayRule =
  | { kind: 'daysOfMonth'; days: ReadonlySet<number> }
  | { kind: 'lastDayOfMonth' }
  | { kind: 'lastWeekdayOfMonth' }
  | { kind: 'nearestWeekday'; day: number }
  | { kind: 'daysOfWeek'; weekdays: ReadonlySet<number> }
  | { kind: 'lastWeekdayInMonth'; weekday: number }
  | { kind: 'nthWeekday'; weekday: number; nth: number };

/** A parsed cron expression: which minutes of a day, which days, months and years fire. */
export interface CronSchedule {
  /** Minutes since midnight that fire, ascending (hours x minutes). */
  minutesOfDay: readonly number[];
  day: DayRule;
  months: ReadonlySet<number>;
  years: ReadonlySet<number>;
}

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const MINUTES: FieldSpec = { name: 'Minutes', min: 0, max: 59 };
const HOURS: FieldSpec = { name: 'Hours', min: 0, max: 23 };
const DAY_OF_MONTH: FieldSpec = { name: 'Day-of-month', min: 1, max: 31 };
const MONTH: FieldSpec = { name: 'Month', min: 1, max: 12, names: MONTH_NAMES };
const DAY_OF_WEEK: FieldSpec = { name: 'Day-of-week', min: 1, max: 7, names: WEEKDAY_NAMES };
const YEAR: FieldSpec = { name: 'Year', min: CRON_YEAR_MIN, max: CRON_YEAR_MAX };

/**
 * Parses the inside of `cron(...)`. Returns the schedule, or why it is invalid.
 * @example parseCron('0 12 ? * MON-FRI *') // weekdays at noon UTC
 */
export function parseCron(text: string): CronSchedule | { error: string } {
  const fields = text.trim().split(/\s+/);
  if (fields.length !== 6) return { error: `expected 6 fields, got ${fields.length}` };
  const [minutesField, hoursField, domField, monthField, dowField, yearField] = fields;
  try {
    const minutes = parseList(minutesField, MINUTES);
    const hours = parseList(hoursField, HOURS);
    const months = new Set(parseList(monthField, MONTH));
    const years = new Set(parseList(yearField, YEAR));
    // Exactly one of the two day fields is `?`: a value or `*` in one means `?` in the other.
    if ((domField === '?') === (dowField === '?')) return { error: 'exactly one of Day-of-month and Day-of-week must be ?' };
    const day = domField === '?' ? parseDayOfWeek(dowField) : parseDayOfMonth(domField);
    const minutesOfDay = hours.flatMap((h) => minutes.map((m) => h * 60 + m)).sort((a, b) => a - b);
    return { minutesOfDay, day, months, years };
  } catch (error) {
    if (error instanceof CronFieldError) return { error: error.message };
    throw error;
  }
}

class CronFieldError extends Error {}

function parseDayOfMonth(field: string): DayRule {
  const upper = field.toUpperCase();
  if (upper === 'L') return { kind: 'lastDayOfMonth' };
  if (upper === 'LW') return { kind: 'lastWeekdayOfMonth' };
  const nearest = /^(\d+)W$/.exec(upper);
  if (nearest) return { kind: 'nearestWeekday', day: value(nearest[1], DAY_OF_MONTH) };
  return { kind: 'daysOfMonth', days: new Set(parseList(field, DAY_OF_MONTH)) };
}

function parseDayOfWeek(field: string): DayRule {
  const upper = field.toUpperCase();
  // `L` alone is the last day of the week, Saturday.
  if (upper === 'L') return { kind: 'daysOfWeek', weekdays: new Set([7]) };
  const last = /^(\w+?)L$/.exec(upper);
  if (last) return { kind: 'lastWeekdayInMonth', weekday: value(last[1], DAY_OF_WEEK) };
  const nth = /^(\w+)#(\d+)$/.exec(upper);
  if (nth) {
    const n = Number(nth[2]);
    if (!/^[1-5]$/.test(nth[2])) throw new CronFieldError(`Day-of-week: #${nth[2]} is not between 1 and 5`);
    return { kind: 'nthWeekday', weekday: value(nth[1], DAY_OF_WEEK), nth: n };
  }
  return { kind: 'daysOfWeek', weekdays: new Set(parseList(field, DAY_OF_WEEK)) };
}

/** A comma list of `*`, `a`, `a-b`, each optionally `/step`; ascending, without duplicates. */
function parseList(field: string, spec: FieldSpec): number[] {
  const values = new Set<number>();
  for (const item of field.split(',')) {
    const match = /^([^/-]+)(?:-([^/-]+))?(?:\/(\d+))?$/.exec(item.toUpperCase());
    if (!match) throw new CronFieldError(`${spec.name}: '${item}' is not valid`);
    const [, from, to, stepText] = match;
    const step = stepText === undefined ? 1 : Number(stepText);
    if (step < 1) throw new CronFieldError(`${spec.name}: step must be at least 1`);
    let start: number;
    let end: number;
    if (from === '*') {
      if (to !== undefined) throw new CronFieldError(`${spec.name}: '${item}' is not valid`);
      [start, end] = [spec.min, spec.max];
    } else {
      start = value(from, spec);
      // `a/step` runs from a to the field's end; `a` alone is just a.
      end = to !== undefined ? value(to, spec) : stepText !== undefined ? spec.max : start;
    }
    // A range may wrap around the field's end (FRI-MON, 22-2), as Quartz and AWS allow.
    const span = end >= start ? end - start : end - start + (spec.max - spec.min + 1);
    for (let offset = 0; offset <= span; offset += step) {
      values.add(((start - spec.min + offset) % (spec.max - spec.min + 1)) + spec.min);
    }
  }
  return [...values].sort((a, b) => a - b);
}

/** One value of a field: digits within bounds, or a name (JAN, MON) where the field has names. */
function value(text: string, spec: FieldSpec): number {
  const named = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return named + 1;
  if (!/^\d+$/.test(text)) throw new CronFieldError(`${spec.name}: '${text}' is not a number`);
  const n = Number(text);
  if (n < spec.min || n > spec.max) throw new CronFieldError(`${spec.name}: ${n} is not between ${spec.min} and ${spec.max}`);
  return n;
}

/** The first fire time strictly after `afterMs`, or undefined when there is none up to 2199. */
export function nextCronTime(schedule: CronSchedule, afterMs: number): number | undefined {
  const first = Math.floor(afterMs / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
  let dayStart = Math.floor(first / DAY_MS) * DAY_MS;
  let fromMinute = (first - dayStart) / MINUTE_MS;
  for (;;) {
    const date = new Date(dayStart);
    const year = date.getUTCFullYear();
    const month = date.getUTCMonth() + 1;
    if (year > CRON_YEAR_MAX) return undefined;
    if (!schedule.years.has(year)) {
      dayStart = Date.UTC(year + 1, 0, 1);
    } else if (!schedule.months.has(month)) {
      dayStart = Date.UTC(year, month, 1);
    } else {
      if (dayMatches(schedule.day, year, month, date.getUTCDate())) {
        const minute = schedule.minutesOfDay.find((m) => m >= fromMinute);
        if (minute !== undefined) return dayStart + minute * MINUTE_MS;
      }
      dayStart += DAY_MS;
    }
    fromMinute = 0;
  }
}

/** The latest fire time at or before `atMs`, or undefined when there is none since 1970. */
export function latestCronTime(schedule: CronSchedule, atMs: number): number | undefined {
  const last = Math.floor(atMs / MINUTE_MS) * MINUTE_MS;
  let dayStart = Math.floor(last / DAY_MS) * DAY_MS;
  let toMinute = (last - dayStart) / MINUTE_MS;
  for (;;) {
    const date = new Date(dayStart);
    const year = date.getUTCFullYear();
    const month = date.getUTCMonth() + 1;
    if (year < CRON_YEAR_MIN) return undefined;
    if (!schedule.years.has(year)) {
      dayStart = Date.UTC(year - 1, 11, 31);
    } else if (!schedule.months.has(month)) {
      dayStart = Date.UTC(year, month - 1, 0);
    } else {
      if (dayMatches(schedule.day, year, month, date.getUTCDate())) {
        const minute = schedule.minutesOfDay.findLast((m) => m <= toMinute);
        if (minute !== undefined) return dayStart + minute * MINUTE_MS;
      }
      dayStart -= DAY_MS;
    }
    toMinute = 24 * 60 - 1;
  }
}

function dayMatches(rule: DayRule, year: number, month: number, day: number): boolean {
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
  switch (rule.kind) {
    case 'daysOfMonth': return rule.days.has(day);
    case 'lastDayOfMonth': return day === daysInMonth;
    case 'lastWeekdayOfMonth': return day === nearestWeekday(year, month, daysInMonth, daysInMonth);
    case 'nearestWeekday': return rule.day <= daysInMonth && day === nearestWeekday(year, month, rule.day, daysInMonth);
    case 'daysOfWeek': return rule.weekdays.has(weekday);
    case 'lastWeekdayInMonth': return weekday === rule.weekday && day + 7 > daysInMonth;
    case 'nthWeekday': return weekday === rule.weekday && Math.ceil(day / 7) === rule.nth;
  }
}

/** The weekday (Mon-Fri) nearest to `day`, never leaving the month: 1W on a Saturday is Monday the 3rd. */
function nearestWeekday(year: number, month: number, day: number, daysInMonth: number): number {
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  if (weekday === 6) return day === 1 ? 3 : day - 1;
  if (weekday === 0) return day === daysInMonth ? day - 2 : day + 1;
  return day;
}
