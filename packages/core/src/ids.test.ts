import { describe, expect, it } from 'vitest';
import { timeOrderedIds } from './ids.js';

describe('ids', () => {
  it('sort by creation, also within one millisecond and past the counter', () => {
    const ids = timeOrderedIds(() => 1_700_000_000_000);
    const made = Array.from({ length: 50_000 }, () => ids.id('evt'));
    expect([...made].sort()).toEqual(made);
    expect(new Set(made).size).toBe(made.length);
    expect(made[0]).toMatch(/^evt_[0-9a-z]{22}$/);
  });

  it('never go backwards when the clock does', () => {
    let now = 2_000_000;
    const ids = timeOrderedIds(() => now);
    const first = ids.id('org');
    now -= 1000;
    expect(ids.id('org') > first).toBe(true);
  });
});
