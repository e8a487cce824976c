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

  /** Takes one intent from this socket's budget: 0 when taken, else the milliseconds until one is there. */
  spend(key: K, now = Date.now()): number {
    const b = this.#budgets.get(key) ?? { tokens: INTENT_BURST, at: now };
    b.tokens = Math.min(INTENT_BURST, b.tokens + ((now - b.at) / 1000) * INTENTS_PER_SECOND);
    b.at = now;
    this.#budgets.set(key, b);
    if (b.tokens < 1) return ((1 - b.tokens) / INTENTS_PER_SECOND) * 1000;
    b.tokens -= 1;
    return 0;
  }
}

export class PhotoCatalog {
  #known = new Set<string>();
  #missing = new Set<string>();

  #reading = 0;

  /** Forgets everything: the gallery's photos changed in ways the room was not told one by one. */
  clear(): void {
    this.#reading += 1;
    this.#known.clear();
    this.#missing.clear();
  }

  /**
   * Reads every id, a page at a time (`page(null)` first, then each `next`), into the catalog; a
   * clear() meanwhile (the gallery changed) ends this reading, and the caller starts another.
   */
  async learn(page: (cursor: string | null) => Promise<{ ids: string[]; next: string | null }>): Promise<void> {
    const reading = ++this.#reading;
    let cursor: string | null = null;
    do {
      const { ids, next } = await page(cursor);
      if (reading !== this.#reading) return;
      for (const id of ids) this.add(id);
      cursor = next;
    } while (cursor);
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
