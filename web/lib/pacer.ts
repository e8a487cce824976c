// How fast the browser sends its outbox to the room. At most a window of intents is unanswered at
// a time, oldest first, so a long replay after a train ride or a burst of clicks goes out no faster
// than the room answers; when the room asks for an intent again later, nothing goes out until then,
// and after that fewer at a time until the outbox is empty.
import type { StoredIntent } from "./outbox";

const WINDOW = 50;
const PACED_WINDOW = 10;
const MAX_HOLD_MS = 30_000;

export class Pacer {
  /** Sent on the current socket and not yet answered. */
  #inFlight = new Set<string>();
  #held = false;
  #paced = false;

  /** `send`: puts one intent on the open socket, or says there is none (false). */
  constructor(
    private readonly pending: Map<string, StoredIntent>,
    private readonly send: (item: StoredIntent) => boolean,
  ) {}

  /** A new socket: nothing is in flight on it yet. */
  reset(): void {
    this.#inFlight.clear();
    this.pump();
  }

  pump(): void {
    if (this.#held) return;
    const window = this.#paced ? PACED_WINDOW : WINDOW;
    if (this.#inFlight.size >= window) return;
    for (const item of [...this.pending.values()].sort((a, b) => a.seq - b.seq)) {
      if (this.#inFlight.size >= window) break;
      if (this.#inFlight.has(item.id)) continue;
      if (!this.send(item)) return;
      this.#inFlight.add(item.id);
    }
  }

  /** The room answered this intent for good (taken, or refused for a reason sending again won't change). */
  answered(id: string): void {
    this.#inFlight.delete(id);
    if (this.pending.size === 0) this.#paced = false;
    this.pump();
  }

  /**
   * The room asked for an intent again after `ms`. The room holds everything from this person
   * until then, so whatever is in flight comes back the same way; afterwards all that is still
   * unanswered goes again in the order it was made, so a later unpick cannot overtake the pick it
   * undoes (one answered meanwhile is answered again as a duplicate, and changes nothing).
   */
  holdFor(ms: number): void {
    this.#inFlight.clear();
    this.#paced = true;
    if (this.#held) return;
    this.#held = true;
    setTimeout(
      () => {
        this.#held = false;
        this.pump();
      },
      Math.min(MAX_HOLD_MS, Math.max(100, ms)) * (1 + Math.random() / 2),
    );
  }
}
