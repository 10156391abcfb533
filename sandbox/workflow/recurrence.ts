/**
 * The Recurrence trigger on the sandbox's virtual clock: a run at every occurrence of the
 * schedule, nothing called on a connector. Supported as documented for `frequency` Minute, Hour,
 * Day and Week with `interval`, `startTime` and, for Day and Week, `schedule` (`weekDays`, `hours`,
 * `minutes`), in UTC. Anything else (another time zone, Month, monthDays) is refused by name.
 */
import { isObject, type JsonObject } from '../../lib/json-pointer';
import type { ValidateContext } from './engine';

export interface Recurrence {
  frequency: 'Minute' | 'Hour' | 'Day' | 'Week';
  interval: number;
  /** ms since the epoch; occurrences are counted from it. */
  start: number;
  weekDays?: number[];
  hours?: number[];
  minutes?: number[];
}

/** What a Recurrence trigger hands to the host: the schedule, and the first occurrence after a time. */
export interface ScheduledTrigger {
  recurrence: Recurrence;
}

const UNIT_MS = { Minute: 60_000, Hour: 3_600_000, Day: 86_400_000, Week: 7 * 86_400_000 } as const;
const DAY_MS = 86_400_000;
const WEEK_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function numbers(value: unknown, max: number): number[] | undefined | null {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max)) return null;
  return [...(value as number[])].sort((a, b) => a - b);
}

/** Reads and checks `recurrence`; reports what the sandbox cannot run. `now` is the default start. */
export function readRecurrence(trigger: JsonObject, at: string, ctx: ValidateContext, now: number): Recurrence | undefined {
  const r = trigger.recurrence;
  const rAt = `${at}/recurrence`;
  if (!isObject(r)) {
    ctx.report(rAt, 'workflow-trigger', 'a Recurrence trigger needs recurrence: {frequency, interval}');
    return undefined;
  }
  const frequency = Object.keys(UNIT_MS).find((f) => typeof r.frequency === 'string' && f.toLowerCase() === r.frequency.toLowerCase()) as Recurrence['frequency'] | undefined;
  if (!frequency) {
    ctx.report(`${rAt}/frequency`, 'workflow-trigger', `frequency ${JSON.stringify(r.frequency ?? null)} is not supported by the sandbox runtime (it runs ${Object.keys(UNIT_MS).join(', ')})`);
    return undefined;
  }
  const interval = r.interval === undefined ? 1 : r.interval;
  if (typeof interval !== 'number' || !Number.isInteger(interval) || interval < 1) {
    ctx.report(`${rAt}/interval`, 'workflow-trigger', 'interval must be a whole number of at least 1');
    return undefined;
  }
  if (r.timeZone !== undefined && r.timeZone !== 'UTC' && r.timeZone !== 'Coordinated Universal Time') {
    ctx.report(`${rAt}/timeZone`, 'workflow-trigger', `timeZone ${JSON.stringify(r.timeZone)} is not supported by the sandbox runtime (UTC only)`);
    return undefined;
  }
  let start = now;
  if (r.startTime !== undefined) {
    const t = typeof r.startTime === 'string' && /(Z|[+-]\d\d:\d\d)$/.test(r.startTime) ? Date.parse(r.startTime) : NaN;
    if (Number.isNaN(t)) {
      ctx.report(`${rAt}/startTime`, 'workflow-trigger', 'startTime must be an ISO 8601 time with Z or an offset (the sandbox runs in UTC)');
      return undefined;
    }
    start = t;
  }
  const result: Recurrence = { frequency, interval, start };
  if (r.schedule !== undefined) {
    const s = r.schedule;
    if (!isObject(s) || (frequency !== 'Day' && frequency !== 'Week')) {
      ctx.report(`${rAt}/schedule`, 'workflow-trigger', 'schedule is supported with frequency Day or Week, as {weekDays, hours, minutes}');
      return undefined;
    }
    const unknown = Object.keys(s).filter((k) => !['weekDays', 'hours', 'minutes'].includes(k));
    if (unknown.length > 0) {
      ctx.report(`${rAt}/schedule/${unknown[0]}`, 'workflow-trigger', `schedule.${unknown[0]} is not supported by the sandbox runtime (weekDays, hours, minutes)`);
      return undefined;
    }
    if (s.weekDays !== undefined) {
      const days = Array.isArray(s.weekDays) ? s.weekDays.map((d) => WEEK_DAYS.indexOf(String(d))) : [-1];
      if (frequency !== 'Week' || days.some((d) => d < 0)) {
        ctx.report(`${rAt}/schedule/weekDays`, 'workflow-trigger', `weekDays go with frequency Week and name days (${WEEK_DAYS.join(', ')})`);
        return undefined;
      }
      result.weekDays = [...new Set(days)].sort((a, b) => a - b);
    }
    const hours = numbers(s.hours, 23);
    const minutes = numbers(s.minutes, 59);
    if (hours === null || minutes === null) {
      ctx.report(`${rAt}/schedule`, 'workflow-trigger', 'schedule.hours are 0-23 and schedule.minutes 0-59 (lists of whole numbers)');
      return undefined;
    }
    if (hours) result.hours = hours;
    if (minutes) result.minutes = minutes;
  }
  return result;
}

/** The first occurrence strictly after `after`. */
export function nextOccurrence(r: Recurrence, after: number): number {
  if (!r.weekDays && !r.hours && !r.minutes) {
    const step = UNIT_MS[r.frequency] * r.interval;
    if (after < r.start) return r.start;
    return r.start + (Math.floor((after - r.start) / step) + 1) * step;
  }
  // A schedule: the listed days, hours and minutes (defaults: the start's), in periods of `interval` days or weeks from the start.
  const startDate = new Date(r.start);
  const hours = r.hours ?? [startDate.getUTCHours()];
  const minutes = r.minutes ?? [startDate.getUTCMinutes()];
  const days = r.weekDays ?? (r.frequency === 'Week' ? [startDate.getUTCDay()] : undefined);
  const period = r.frequency === 'Week' ? 7 : 1;
  const firstDay = Math.floor(Math.max(after, r.start) / DAY_MS);
  const startDay = Math.floor(r.start / DAY_MS);
  // The start's week begins on its Sunday (weeks counted as the engine counts them).
  const startWeek = Math.floor((startDay - new Date(startDay * DAY_MS).getUTCDay()) / 7);
  for (let day = firstDay; day <= firstDay + period * r.interval + 7; day++) {
    const weekday = new Date(day * DAY_MS).getUTCDay();
    if (days && !days.includes(weekday)) continue;
    const periodIndex = r.frequency === 'Week' ? Math.floor((day - weekday) / 7) - startWeek : day - startDay;
    if (periodIndex % r.interval !== 0) continue;
    for (const h of hours) {
      for (const m of minutes) {
        const t = day * DAY_MS + h * 3_600_000 + m * 60_000;
        if (t > after && t >= r.start) return t;
      }
    }
  }
  throw new Error('no occurrence found (the schedule is empty)');
}
