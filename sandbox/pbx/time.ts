/**
 * Europe/Riga wall-clock time without a time-zone database: EET (+02:00) in winter, EEST (+03:00)
 * from the last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC (EU rule).
 * The PBX is assumed to print local time with its offset, e.g. `2026-11-02T09:15:00+02:00`.
 */

const HOUR = 3_600_000;

function lastSundayUtc(year: number, monthIndex: number): number {
  const lastDay = new Date(Date.UTC(year, monthIndex + 1, 0));
  const back = lastDay.getUTCDay(); // 0 = Sunday
  return Date.UTC(year, monthIndex, lastDay.getUTCDate() - back, 1, 0, 0);
}

/** Offset of Riga time from UTC at the given instant, in hours (2 or 3). */
export function rigaOffsetHours(epochMs: number): number {
  const year = new Date(epochMs).getUTCFullYear();
  return epochMs >= lastSundayUtc(year, 2) && epochMs < lastSundayUtc(year, 9) ? 3 : 2;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** Formats an instant as Riga local time with offset, seconds precision. */
export function formatRiga(epochMs: number): string {
  const offset = rigaOffsetHours(epochMs);
  const d = new Date(Math.floor(epochMs / 1000) * 1000 + offset * HOUR);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}+${pad(offset)}:00`
  );
}

/** Riga wall-clock fields → instant (the offset is the one in force at that local time). */
function rigaLocalToEpoch(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  const guess = asUtc - 2 * HOUR;
  return asUtc - rigaOffsetHours(guess) * HOUR;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;
const ZONED_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/**
 * Parses a date filter value as the PBX is assumed to (unconfirmed): an ISO 8601 date-time with
 * offset or Z, a local `YYYY-MM-DD HH:MM[:SS]` (Riga time), or a bare date. A bare date means the
 * start of that day for `from` and the end of it for `to`, so `date_to=2026-11-02` includes the 2nd.
 * Returns undefined when the value is not a date.
 */
export function parseDateFilter(value: string, edge: 'from' | 'to'): number | undefined {
  const v = value.trim();
  let m = DATE_ONLY.exec(v);
  if (m) {
    const start = rigaLocalToEpoch(+m[1], +m[2], +m[3], 0, 0, 0);
    if (Number.isNaN(start) || !validDay(+m[1], +m[2], +m[3])) return undefined;
    return edge === 'from' ? start : rigaLocalToEpoch(+m[1], +m[2], +m[3], 23, 59, 59) + 999;
  }
  m = LOCAL_DATE_TIME.exec(v);
  if (m) {
    if (!validDay(+m[1], +m[2], +m[3]) || +m[4] > 23 || +m[5] > 59 || +(m[6] ?? 0) > 59) return undefined;
    return rigaLocalToEpoch(+m[1], +m[2], +m[3], +m[4], +m[5], +(m[6] ?? 0));
  }
  if (ZONED_DATE_TIME.test(v)) {
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

function validDay(y: number, mo: number, d: number): boolean {
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** Parses a timestamp the store itself produced (ISO 8601 with offset). */
export function parseTimestamp(value: string): number {
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new Error(`not an ISO 8601 timestamp: ${JSON.stringify(value)}`);
  return t;
}
