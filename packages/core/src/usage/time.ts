/**
 * Local time for usage: the organization's IANA timezone sets the month boundary of quotas
 * and the day boundary of reports. Rollups are kept in 15-minute UTC buckets; every IANA
 * offset is a whole number of quarter hours, so any timezone re-buckets them exactly.
 */
import { DateTime } from 'luxon';

export const BUCKET_MS = 15 * 60 * 1000;

export function bucketStart(ms: number): number {
  return ms - (((ms % BUCKET_MS) + BUCKET_MS) % BUCKET_MS);
}

/** The local month label (YYYY-MM) an instant falls in. */
export function periodOf(ms: number, timezone: string): string {
  return DateTime.fromMillis(ms, { zone: timezone }).toFormat('yyyy-MM');
}

/** The instants a local month starts and ends (end exclusive). */
export function periodBounds(period: string, timezone: string): { start: number; end: number } {
  const start = DateTime.fromFormat(period, 'yyyy-MM', { zone: timezone }).startOf('month');
  return { start: start.toMillis(), end: start.plus({ months: 1 }).toMillis() };
}

/** Today's local date (YYYY-MM-DD). */
export function localDate(ms: number, timezone: string): string {
  return DateTime.fromMillis(ms, { zone: timezone }).toISODate() as string;
}

export interface LocalDay {
  date: string;
  start: number;
  end: number;
}

/** Each local day from `from` to `to` inclusive, with its real length (23 or 25 hours on DST days). */
export function localDays(from: string, to: string, timezone: string): LocalDay[] {
  const days: LocalDay[] = [];
  let day = DateTime.fromISO(from, { zone: timezone }).startOf('day');
  const last = DateTime.fromISO(to, { zone: timezone }).startOf('day');
  while (day <= last) {
    const next = day.plus({ days: 1 });
    days.push({ date: day.toISODate() as string, start: day.toMillis(), end: next.toMillis() });
    day = next;
  }
  return days;
}

/** Moves a local date by whole days. */
export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate() as string;
}

export function isLocalDate(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && DateTime.fromISO(text, { zone: 'UTC' }).isValid;
}

/**
 * A month lookup for one batch: most events of a batch fall in one or two months, so the
 * boundaries are computed once per month instead of once per event.
 */
export function periodLookup(timezone: string): (ms: number) => string {
  const known: Array<{ start: number; end: number; label: string }> = [];
  return (ms) => {
    for (const p of known) if (ms >= p.start && ms < p.end) return p.label;
    const label = periodOf(ms, timezone);
    known.push({ ...periodBounds(label, timezone), label });
    return label;
  };
}
