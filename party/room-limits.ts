// The room's two caches against cheap abuse: a per-socket intent budget, and the gallery's photo
// ids with remembered misses, so made-up photo ids cost one D1 lookup each at most.

// A burst of 60 intents (a replay after a long train ride), then 20 a second. Every applied
// intent is stored, so an unthrottled socket could grow the room without bound.
export const INTENT_BURST = 60;
export const INTENTS_PER_SECOND = 20;

export class IntentBudget<K extends object> {
  #budgets = new WeakMap<K, { tokens: number; at: number }>();

  /** Takes one intent from this socket's budget; false when it is spent. */
  spend(key: K, now = Date.now()): boolean {
    const b = this.#budgets.get(key) ?? { tokens: INTENT_BURST, at: now };
    b.tokens = Math.min(INTENT_BURST, b.tokens + ((now - b.at) / 1000) * INTENTS_PER_SECOND);
    b.at = now;
    this.#budgets.set(key, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}

export class PhotoCatalog {
  #known = new Set<string>();
  #missing = new Set<string>();

  reset(ids: string[]): void {
    this.#known = new Set(ids);
    this.#missing.clear();
  }

  add(id: string): void {
    this.#known.add(id);
    this.#missing.delete(id);
  }

  has(id: string): boolean {
    return this.#known.has(id);
  }

  /** Asks `lookUp` about an id not seen before; throws what `lookUp` throws. */
  async check(id: string, lookUp: (id: string) => Promise<boolean>): Promise<void> {
    if (this.#known.has(id) || this.#missing.has(id)) return;
    if (await lookUp(id)) return this.add(id);
    if (this.#missing.size > 10_000) this.#missing.clear();
    this.#missing.add(id);
  }
}
