import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromMilli, toMilli } from './quantity.js';

describe('quantities', () => {
  it('stores fractional minutes exactly', () => {
    expect(toMilli('transcript_minutes', 12.345)).toEqual({ ok: true, milli: 12345 });
    expect(toMilli('transcript_minutes', '0.1')).toEqual({ ok: true, milli: 100 });
    expect(toMilli('transcript_minutes', 0.1 + 0.2)).toMatchObject({ ok: false });
    expect(toMilli('calls_analyzed', 3)).toEqual({ ok: true, milli: 3000 });
  });

  it('refuses zero, negatives, too many decimals, fractional calls and junk', () => {
    for (const [meter, value] of [
      ['transcript_minutes', 0],
      ['transcript_minutes', -1],
      ['transcript_minutes', 1.2345],
      ['transcript_minutes', '1e3'],
      ['transcript_minutes', Number.NaN],
      ['transcript_minutes', Number.POSITIVE_INFINITY],
      ['transcript_minutes', '12,5'],
      ['calls_analyzed', 1.5],
      ['transcript_minutes', 2e9],
    ] as const) {
      expect(toMilli(meter, value).ok, `${meter} ${value}`).toBe(false);
    }
  });

  it('round-trips every three-decimal quantity, and sums never drift', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 10_000_000 }), { minLength: 1, maxLength: 50 }), (millis) => {
        let total = 0;
        for (const milli of millis) {
          const parsed = toMilli('transcript_minutes', fromMilli(milli));
          expect(parsed).toEqual({ ok: true, milli });
          total += milli;
        }
        expect(Number.isSafeInteger(total)).toBe(true);
        expect(toMilli('transcript_minutes', fromMilli(total))).toEqual({ ok: true, milli: total });
      }),
    );
  });
});
