// The gallery's photo ids with remembered misses, so made-up photo ids cost one D1 lookup each
// at most. (What each person may send: budgets.ts.)

// Above these sizes a cache starts over: a room's memory must not grow with what it is sent.
const MAX_KNOWN = 50_000;
const MAX_MISSING = 10_000;

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
