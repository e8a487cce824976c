// The room's two caches against cheap abuse: a per-socket intent budget, and the gallery's photo
// ids with remembered misses, so made-up photo ids cost one D1 lookup each at most.

// Above these sizes a cache starts over: a room's memory must not grow with what it is sent.
const MAX_KNOWN = 50_000;
const MAX_MISSING = 10_000;

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

  /** Forgets everything: the gallery's photos changed in ways the room was not told one by one. */
  clear(): void {
    this.#known.clear();
    this.#missing.clear();
  }

  add(id: string): void {
    if (this.#known.size >= MAX_KNOWN) this.#known.clear();
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
    if (this.#missing.size >= MAX_MISSING) this.#missing.clear();
    this.#missing.add(id);
  }
}
