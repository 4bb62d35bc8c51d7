import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate, applyAllocation, type Balance, burnDownOrder } from './burn-down.js';

const grant = fc.record({
  id: fc.string({ minLength: 1, maxLength: 4 }),
  remaining: fc.integer({ min: 0, max: 5000 }),
  expiresAt: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: null }),
});

describe('burn-down', () => {
  it('draws quota, then grants by soonest expiry, then overage', () => {
    const balance: Balance = {
      quotaLeft: 10,
      grants: burnDownOrder([
        { id: 'never', remaining: 100, expiresAt: null },
        { id: 'late', remaining: 5, expiresAt: 2000 },
        { id: 'soon', remaining: 5, expiresAt: 1000 },
      ]),
      paymentMethod: true,
    };
    expect(allocate(30, balance)).toEqual({
      ok: true,
      fromQuota: 10,
      fromGrants: [
        { id: 'soon', amount: 5 },
        { id: 'late', amount: 5 },
        { id: 'never', amount: 10 },
      ],
      overage: 0,
    });
    expect(allocate(200, balance)).toMatchObject({ ok: true, overage: 80 });
  });

  it('refuses an event that does not fit whole when no payment method is on file', () => {
    const balance: Balance = { quotaLeft: 3, grants: [{ id: 'g', remaining: 2, expiresAt: null }], paymentMethod: false };
    expect(allocate(6, balance)).toEqual({ ok: false, available: 5 });
    expect(allocate(5, balance)).toMatchObject({ ok: true, fromQuota: 3, overage: 0 });
  });

  it('conserves every unit and never overdraws without a payment method', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20_000 }),
        fc.array(grant, { maxLength: 6 }),
        fc.boolean(),
        fc.array(fc.integer({ min: 1, max: 3000 }), { maxLength: 40 }),
        (quota, grants, paymentMethod, events) => {
          const unique = grants.map((g, i) => ({ ...g, id: `${i}` }));
          const balance: Balance = { quotaLeft: quota, grants: burnDownOrder(unique), paymentMethod };
          const allowance = quota + unique.reduce((s, g) => s + g.remaining, 0);
          let admitted = 0;
          let overage = 0;
          for (const quantity of events) {
            const allocation = allocate(quantity, balance);
            if (!allocation.ok) {
              expect(paymentMethod).toBe(false);
              continue;
            }
            const drawn = allocation.fromQuota + allocation.fromGrants.reduce((s, g) => s + g.amount, 0);
            expect(drawn + allocation.overage).toBe(quantity);
            applyAllocation(balance, allocation);
            admitted += drawn;
            overage += allocation.overage;
            expect(balance.quotaLeft).toBeGreaterThanOrEqual(0);
            for (const g of balance.grants) expect(g.remaining).toBeGreaterThanOrEqual(0);
          }
          expect(admitted).toBeLessThanOrEqual(allowance);
          if (!paymentMethod) expect(overage).toBe(0);
          // Overage only starts once everything prepaid is spent.
          if (overage > 0) expect(admitted).toBe(allowance);
        },
      ),
    );
  });

  it('orders grants: soonest expiry first, never-expiring last', () => {
    fc.assert(
      fc.property(fc.array(grant, { maxLength: 10 }), (grants) => {
        const ordered = burnDownOrder(grants);
        for (let i = 1; i < ordered.length; i++) {
          const a = ordered[i - 1]?.expiresAt ?? Number.POSITIVE_INFINITY;
          const b = ordered[i]?.expiresAt ?? Number.POSITIVE_INFINITY;
          expect(a).toBeLessThanOrEqual(b);
        }
      }),
    );
  });
});
