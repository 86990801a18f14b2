// Schedule expressions: AWS's rate() and six-field cron() syntax, and the fire times they give,
// all in UTC (no daylight saving), including L, W, #, names, wrap-around ranges and the year.
import { describe, expect, it } from 'vitest';
import { latestFireTime, nextFireTime, parseScheduleExpression, type Schedule } from '../../../src/schedules/schedule-expression';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString().replace('.000Z', 'Z'));

function parse(expression: string): Schedule {
  const schedule = parseScheduleExpression(expression);
  if ('error' in schedule) throw new Error(`${expression}: ${schedule.error}`);
  return schedule;
}

/** The next `count` fire times after `from`, as ISO strings. */
function upcoming(expression: string, from: string, count = 1, anchor = from): (string | undefined)[] {
  const schedule = parse(expression);
  const times: (string | undefined)[] = [];
  let cursor = at(from);
  for (let i = 0; i < count; i++) {
    const next = nextFireTime(schedule, at(anchor), cursor);
    times.push(iso(next));
    if (next === undefined) break;
    cursor = next;
  }
  return times;
}

describe('rate expressions', () => {
  it('accepts a singular unit for 1 and a plural one for more, as AWS does', () => {
    expect(parse('rate(1 minute)')).toEqual({ kind: 'rate', periodMs: 60_000 });
    expect(parse('rate(5 minutes)')).toEqual({ kind: 'rate', periodMs: 300_000 });
    expect(parse('rate(1 hour)')).toEqual({ kind: 'rate', periodMs: 3_600_000 });
    expect(parse('rate(12 hours)')).toEqual({ kind: 'rate', periodMs: 43_200_000 });
    expect(parse('rate(1 day)')).toEqual({ kind: 'rate', periodMs: 86_400_000 });
    expect(parse('rate(7 days)')).toEqual({ kind: 'rate', periodMs: 604_800_000 });
    for (const bad of ['rate(1 minutes)', 'rate(5 minute)', 'rate(0 minutes)', 'rate(-1 minutes)', 'rate(1.5 hours)', 'rate(1 week)',
      'rate(1  minute)', 'rate( 1 minute)', 'rate(1 Minute)', 'rate(minute)', 'rate 1 minute', 'every minute', '']) {
      expect(parseScheduleExpression(bad), bad).toHaveProperty('error');
    }
  });

  it('counts from the minute the rule was put', () => {
    expect(upcoming('rate(5 minutes)', '2026-11-27T10:02:30Z', 3)).toEqual(['2026-11-27T10:07:00Z', '2026-11-27T10:12:00Z', '2026-11-27T10:17:00Z']);
    expect(upcoming('rate(1 hour)', '2026-11-27T23:30:00Z', 2)).toEqual(['2026-11-28T00:30:00Z', '2026-11-28T01:30:00Z']);
    // Asked later, it stays on the anchor's grid.
    expect(upcoming('rate(5 minutes)', '2026-11-27T11:00:00Z', 1, '2026-11-27T10:02:30Z')).toEqual(['2026-11-27T11:02:00Z']);
  });

  it('finds the latest fire time of a rate on the same grid', () => {
    const schedule = parse('rate(5 minutes)');
    const anchor = at('2026-11-27T10:02:00Z');
    expect(iso(latestFireTime(schedule, anchor, at('2026-11-27T10:06:59Z')))).toBeUndefined();
    expect(iso(latestFireTime(schedule, anchor, at('2026-11-27T10:07:00Z')))).toBe('2026-11-27T10:07:00Z');
    expect(iso(latestFireTime(schedule, anchor, at('2026-11-27T13:00:00Z')))).toBe('2026-11-27T12:57:00Z');
  });
});

describe('cron expressions', () => {
  it.each([
    ['cron(0 12 * * ? *)', '2026-11-27T03:11:00Z', ['2026-11-27T12:00:00Z', '2026-11-28T12:00:00Z']],
    ['cron(* * * * ? *)', '2026-11-27T03:11:20Z', ['2026-11-27T03:12:00Z', '2026-11-27T03:13:00Z']],
    ['cron(0/15 * * * ? *)', '2026-11-27T03:11:00Z', ['2026-11-27T03:15:00Z', '2026-11-27T03:30:00Z', '2026-11-27T03:45:00Z', '2026-11-27T04:00:00Z']],
    ['cron(5-20/5 * * * ? *)', '2026-11-27T03:16:00Z', ['2026-11-27T03:20:00Z', '2026-11-27T04:05:00Z']],
    ['cron(*/20 1,3 * * ? *)', '2026-11-27T01:50:00Z', ['2026-11-27T03:00:00Z', '2026-11-27T03:20:00Z', '2026-11-27T03:40:00Z', '2026-11-28T01:00:00Z']],
    // Weekdays at 18:00: 2026-11-27 is a Friday, so after its 18:00 comes Monday.
    ['cron(0 18 ? * MON-FRI *)', '2026-11-27T18:00:00Z', ['2026-11-30T18:00:00Z', '2026-12-01T18:00:00Z']],
    ['cron(0 18 ? * 2-6 *)', '2026-11-27T18:00:00Z', ['2026-11-30T18:00:00Z']],
    ['cron(0 0 ? * sun *)', '2026-11-27T00:00:00Z', ['2026-11-29T00:00:00Z', '2026-12-06T00:00:00Z']],
    // A range that wraps around the end of the week: Friday to Monday.
    ['cron(0 0 ? * FRI-MON *)', '2026-11-26T12:00:00Z', ['2026-11-27T00:00:00Z', '2026-11-28T00:00:00Z', '2026-11-29T00:00:00Z', '2026-11-30T00:00:00Z', '2026-12-04T00:00:00Z']],
    // Hours that wrap around midnight.
    ['cron(0 22-1 * * ? *)', '2026-11-27T12:00:00Z', ['2026-11-27T22:00:00Z', '2026-11-27T23:00:00Z', '2026-11-28T00:00:00Z', '2026-11-28T01:00:00Z', '2026-11-28T22:00:00Z']],
    ['cron(0 8 1 * ? *)', '2026-11-27T00:00:00Z', ['2026-12-01T08:00:00Z', '2027-01-01T08:00:00Z']],
    ['cron(0 8 1 JAN,jul ? *)', '2026-11-27T00:00:00Z', ['2027-01-01T08:00:00Z', '2027-07-01T08:00:00Z', '2028-01-01T08:00:00Z']],
    ['cron(30 9 31 * ? *)', '2026-11-01T00:00:00Z', ['2026-12-31T09:30:00Z', '2027-01-31T09:30:00Z', '2027-03-31T09:30:00Z']],
    // L: the last day of the month, leap years included.
    ['cron(0 0 L * ? *)', '2024-01-31T00:00:00Z', ['2024-02-29T00:00:00Z', '2024-03-31T00:00:00Z', '2024-04-30T00:00:00Z']],
    ['cron(0 0 L 2 ? *)', '2026-01-01T00:00:00Z', ['2026-02-28T00:00:00Z', '2027-02-28T00:00:00Z', '2028-02-29T00:00:00Z']],
    ['cron(0 0 29 2 ? *)', '2026-01-01T00:00:00Z', ['2028-02-29T00:00:00Z', '2032-02-29T00:00:00Z']],
    // W: the weekday nearest the day, within the month. 2026-11-15 is a Sunday, 2026-08-15 a Saturday.
    ['cron(0 9 15W * ? *)', '2026-11-01T00:00:00Z', ['2026-11-16T09:00:00Z', '2026-12-15T09:00:00Z']],
    ['cron(0 9 15W 8 ? *)', '2026-01-01T00:00:00Z', ['2026-08-14T09:00:00Z']],
    // 1W on Saturday 2026-08-01 does not go back into July: Monday the 3rd.
    ['cron(0 9 1W 8 ? *)', '2026-01-01T00:00:00Z', ['2026-08-03T09:00:00Z']],
    // 31W on Sunday 2026-05-31 does not go into June: Friday the 29th.
    ['cron(0 9 31W 5 ? *)', '2026-01-01T00:00:00Z', ['2026-05-29T09:00:00Z']],
    // LW: the last weekday of the month; 2026-01-31 is a Saturday.
    ['cron(0 9 LW * ? *)', '2026-01-01T00:00:00Z', ['2026-01-30T09:00:00Z', '2026-02-27T09:00:00Z']],
    // #: the nth weekday of the month; 2#1 is the first Monday.
    ['cron(0 10 ? * 2#1 *)', '2026-11-27T00:00:00Z', ['2026-12-07T10:00:00Z', '2027-01-04T10:00:00Z']],
    ['cron(0 10 ? * FRI#5 *)', '2026-11-01T00:00:00Z', ['2027-01-29T10:00:00Z', '2027-04-30T10:00:00Z']],
    // nL: the last such weekday of the month; L alone is Saturday, the last day of the week.
    ['cron(15 10 ? * 6L 2026)', '2026-11-01T00:00:00Z', ['2026-11-27T10:15:00Z', '2026-12-25T10:15:00Z', undefined]],
    ['cron(0 0 ? * L *)', '2026-11-27T00:00:00Z', ['2026-11-28T00:00:00Z', '2026-12-05T00:00:00Z']],
    // The year field: single years, ranges with steps, and no fire time after the last one.
    ['cron(0 0 1 1 ? 2030)', '2026-11-27T00:00:00Z', ['2030-01-01T00:00:00Z', undefined]],
    ['cron(0 0 1 1 ? 2027-2031/2)', '2026-11-27T00:00:00Z', ['2027-01-01T00:00:00Z', '2029-01-01T00:00:00Z', '2031-01-01T00:00:00Z', undefined]],
    ['cron(0 0 1 1 ? 2199)', '2026-11-27T00:00:00Z', ['2199-01-01T00:00:00Z', undefined]],
    // Valid, yet never fires: February has no 30th.
    ['cron(0 0 30 2 ? *)', '2026-11-27T00:00:00Z', [undefined]],
  ])('%s after %s', (expression, from, expected) => {
    expect(upcoming(expression, from, expected.length)).toEqual(expected);
  });

  it.each([
    ['cron(0 * * * ? *)', '2026-11-27T03:11:45Z', '2026-11-27T03:00:00Z'],
    ['cron(0 * * * ? *)', '2026-11-27T03:00:00Z', '2026-11-27T03:00:00Z'],
    ['cron(0 18 ? * MON-FRI *)', '2026-11-29T12:00:00Z', '2026-11-27T18:00:00Z'],
    ['cron(0 0 L * ? *)', '2024-03-15T00:00:00Z', '2024-02-29T00:00:00Z'],
    ['cron(0 9 LW * ? *)', '2026-02-01T00:00:00Z', '2026-01-30T09:00:00Z'],
    ['cron(0 10 ? * 2#1 *)', '2026-12-06T00:00:00Z', '2026-11-02T10:00:00Z'],
    ['cron(0 0 1 1 ? 2020,2030)', '2026-11-27T00:00:00Z', '2020-01-01T00:00:00Z'],
    ['cron(0 0 1 1 ? 2030)', '2026-11-27T00:00:00Z', undefined],
  ])('the latest fire time of %s at %s', (expression, when, expected) => {
    expect(iso(latestFireTime(parse(expression), 0, at(when)))).toBe(expected);
  });

  it('agrees with itself: stepping forward and looking back give the same times', () => {
    const expressions = ['cron(*/7 */5 * * ? *)', 'cron(0 9 15W * ? *)', 'cron(0 10 ? * 6L *)', 'cron(0 0 LW * ? *)', 'cron(45 23 ? * 1#3 *)', 'cron(0 12 L 2 ? 2026-2040)'];
    for (const expression of expressions) {
      const schedule = parse(expression);
      let cursor = at('2026-01-01T00:00:00Z');
      for (let i = 0; i < 40; i++) {
        const next = nextFireTime(schedule, 0, cursor);
        if (next === undefined) break;
        expect(next).toBeGreaterThan(cursor);
        expect(latestFireTime(schedule, 0, next)).toBe(next);
        expect(latestFireTime(schedule, 0, next - 1)).toBe(i === 0 ? latestFireTime(schedule, 0, cursor) : cursor);
        cursor = next;
      }
    }
  });

  it.each([
    'cron(0 12 * * *)', // five fields
    'cron(0 12 * * ? * *)', // seven fields
    'cron(0 12 * * * *)', // neither day field is ?
    'cron(0 12 ? * ? *)', // both are
    'cron(60 * * * ? *)', 'cron(0 24 * * ? *)', 'cron(0 0 0 * ? *)', 'cron(0 0 32 * ? *)',
    'cron(0 0 ? 13 * *)', 'cron(0 0 ? 0 * *)', 'cron(0 0 ? * 0 *)', 'cron(0 0 ? * 8 *)',
    'cron(0 0 1 1 ? 1969)', 'cron(0 0 1 1 ? 2200)',
    'cron(*/0 * * * ? *)', 'cron(1- * * * ? *)', 'cron(-1 * * * ? *)', 'cron(5x * * * ? *)', 'cron(? * * * ? *)', 'cron(* * * * ? ?)',
    'cron(L * * * ? *)', 'cron(0 0 L,5 * ? *)', 'cron(0 0 32W * ? *)', 'cron(0 0 ? * 2#6 *)', 'cron(0 0 ? * 2#0 *)', 'cron(0 0 ? * 9L *)',
    'cron(0 0 1 FOO ? *)', 'cron(0 0 ? * MON#1,2 *)', 'cron(0 0 * */13x ? *)', 'cron(0 0 1 1-2-3 ? *)', 'cron(1,,2 * * * ? *)', 'cron()',
    'cron(0 0 ? * MONDAY *)', 'cron(* * * * ? *', 'Cron(* * * * ? *)',
  ])('refuses %s', (expression) => {
    expect(parseScheduleExpression(expression)).toHaveProperty('error');
  });

  it('refuses an expression longer than 256 characters', () => {
    expect(parseScheduleExpression(`cron(${'0,'.repeat(130)}0 * * * ? *)`)).toHaveProperty('error');
  });
});
