import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUCKET_MS, bucketStart, localDays, periodBounds, periodOf } from './time.js';

const HOUR = 3_600_000;

describe('local time for usage', () => {
  it("gives New York's DST days 23 and 25 hours", () => {
    const spring = localDays('2026-03-08', '2026-03-08', 'America/New_York')[0];
    const fall = localDays('2026-11-01', '2026-11-01', 'America/New_York')[0];
    expect((spring?.end ?? 0) - (spring?.start ?? 0)).toBe(23 * HOUR);
    expect((fall?.end ?? 0) - (fall?.start ?? 0)).toBe(25 * HOUR);
  });

  it("starts Kathmandu's days at 18:15 UTC (+05:45)", () => {
    const [day] = localDays('2026-05-10', '2026-05-10', 'Asia/Kathmandu');
    expect(new Date(day?.start ?? 0).toISOString()).toBe('2026-05-09T18:15:00.000Z');
  });

  it('puts an instant in the local month of the organization', () => {
    const instant = Date.parse('2026-01-31T23:30:00Z');
    expect(periodOf(instant, 'UTC')).toBe('2026-01');
    expect(periodOf(instant, 'Europe/Paris')).toBe('2026-02');
    expect(periodOf(instant, 'America/Los_Angeles')).toBe('2026-01');
    const { start, end } = periodBounds('2026-02', 'Europe/Paris');
    expect(new Date(start).toISOString()).toBe('2026-01-31T23:00:00.000Z');
    expect(new Date(end).toISOString()).toBe('2026-02-28T23:00:00.000Z');
  });

  it('aligns every local day boundary of every zone on a 15-minute bucket', () => {
    const zones = Intl.supportedValuesOf('timeZone');
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: 0, max: 3650 }), (zone, offset) => {
        const date = new Date(Date.UTC(2020, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10);
        const [day] = localDays(date, date, zone);
        // Historic zones had odd offsets (LMT); today's all sit on quarter hours.
        if (day && offset > 0) expect(bucketStart(day.start), `${zone} ${date}`).toBe(day.start);
      }),
      { numRuns: 2000 },
    );
    expect(bucketStart(BUCKET_MS * 3 + 5)).toBe(BUCKET_MS * 3);
  });

  it('tiles consecutive local days with no gap and no overlap', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('America/New_York', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Europe/London', 'Pacific/Chatham'),
        (zone) => {
          const days = localDays('2026-01-01', '2026-12-31', zone);
          expect(days).toHaveLength(365);
          for (let i = 1; i < days.length; i++) expect(days[i]?.start).toBe(days[i - 1]?.end);
        },
      ),
      { numRuns: 5 },
    );
  });
});
