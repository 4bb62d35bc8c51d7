/**
 * Remembers when keys were last used, in memory, and writes it out in batches: a request never
 * waits on a write for `lastUsedAt`. Precision is one minute: a key already recorded within
 * the last minute is not marked again.
 */
export const LAST_USED_PRECISION_MS = 60_000;

export class LastUsedTracker {
  readonly #pending = new Map<string, number>();

  /** Notes a use; `stored` is the value the database had when the key was read. */
  touch(keyId: string, stored: number | null, now: number): void {
    const known = Math.max(stored ?? 0, this.#pending.get(keyId) ?? 0);
    if (now - known >= LAST_USED_PRECISION_MS) this.#pending.set(keyId, now);
  }

  /** The newest use not yet written, if any. */
  pendingFor(keyId: string): number | undefined {
    return this.#pending.get(keyId);
  }

  /** Takes every pending use, leaving none. */
  drain(): Array<[string, number]> {
    const entries = [...this.#pending.entries()];
    this.#pending.clear();
    return entries;
  }
}
