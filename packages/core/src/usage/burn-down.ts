/**
 * The burn-down of one event: the monthly quota first, then prepaid grants, soonest expiry
 * first (grants without expiry last), then overage, which needs a payment method on file.
 * Without one, an event that does not fit whole is refused whole. Pure: the caller holds the
 * lock and applies the result.
 */

export interface GrantBalance {
  id: string;
  remaining: number;
  expiresAt: number | null;
}

export interface Balance {
  /** What is left of this period's quota. */
  quotaLeft: number;
  /** Usable grants, in burn-down order. */
  grants: GrantBalance[];
  paymentMethod: boolean;
}

export type Allocation =
  | { ok: true; fromQuota: number; fromGrants: Array<{ id: string; amount: number }>; overage: number }
  | { ok: false; available: number };

/** Orders grants for burn-down: soonest expiry first, grants that never expire last, then oldest id. */
export function burnDownOrder(grants: GrantBalance[]): GrantBalance[] {
  return [...grants].sort((a, b) => {
    const ae = a.expiresAt ?? Number.POSITIVE_INFINITY;
    const be = b.expiresAt ?? Number.POSITIVE_INFINITY;
    return ae === be ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : ae - be;
  });
}

/** Splits `quantity` over the balance, or refuses it. Mutates nothing. */
export function allocate(quantity: number, balance: Balance): Allocation {
  const fromQuota = Math.min(quantity, Math.max(0, balance.quotaLeft));
  let rest = quantity - fromQuota;
  const fromGrants: Array<{ id: string; amount: number }> = [];
  for (const grant of balance.grants) {
    if (rest === 0) break;
    const amount = Math.min(rest, grant.remaining);
    if (amount > 0) {
      fromGrants.push({ id: grant.id, amount });
      rest -= amount;
    }
  }
  if (rest > 0 && !balance.paymentMethod) {
    const available = fromQuota + fromGrants.reduce((sum, g) => sum + g.amount, 0);
    return { ok: false, available };
  }
  return { ok: true, fromQuota, fromGrants, overage: rest };
}

/** Applies an allocation to a balance (for the next event of the same batch). */
export function applyAllocation(balance: Balance, allocation: Extract<Allocation, { ok: true }>): void {
  balance.quotaLeft -= allocation.fromQuota;
  for (const { id, amount } of allocation.fromGrants) {
    const grant = balance.grants.find((g) => g.id === id);
    if (grant) grant.remaining -= amount;
  }
}
