/**
 * Quantities are stored exactly, as integer thousandths of the meter's unit: 12.345 transcript
 * minutes is 12345. Input is a number or a decimal string with at most three decimals;
 * calls are counted in whole numbers.
 */
import type { Meter } from '../db/schema.js';

export const SCALE = 1000;
export const MAX_QUANTITY = 1_000_000_000;

const DECIMAL = /^\d{1,10}(\.\d{1,3})?$/;

export type QuantityResult = { ok: true; milli: number } | { ok: false; message: string };

/** Parses one quantity for a meter into thousandths, or says why not. Zero only where allowed (quotas). */
export function toMilli(meter: Meter, value: number | string, options: { allowZero?: boolean } = {}): QuantityResult {
  const text = typeof value === 'number' ? numberText(value) : value.trim();
  if (text === undefined || !DECIMAL.test(text)) {
    return { ok: false, message: 'A quantity is a positive number with at most 3 decimal places.' };
  }
  const [whole = '0', fraction = ''] = text.split('.');
  const milli = Number(whole) * SCALE + Number(fraction.padEnd(3, '0'));
  if (milli === 0 && !options.allowZero) return { ok: false, message: 'A quantity must be greater than 0.' };
  if (milli > MAX_QUANTITY * SCALE) return { ok: false, message: `A quantity is at most ${MAX_QUANTITY}.` };
  if (meter === 'calls_analyzed' && milli % SCALE !== 0) {
    return { ok: false, message: 'calls_analyzed counts whole calls: use an integer.' };
  }
  return { ok: true, milli };
}

/** A JS number's shortest decimal text, if it is a plain non-negative decimal. */
function numberText(value: number): string | undefined {
  if (!Number.isFinite(value) || value < 0) return undefined;
  const text = String(value);
  return /e/i.test(text) ? undefined : text;
}

/** Thousandths back to a number for JSON: 12345 becomes 12.345 (exact for three decimals). */
export function fromMilli(milli: number): number {
  return milli / SCALE;
}
