// What one person, and the whole room, may spend. Budgets are per actor (every socket and tab of
// one person draws on the same one) and per room, and are checked when a frame arrives, before
// it waits for anything: a refused frame costs the room a JSON parse and a short answer.

export interface Rate {
  burst: number;
  perSecond: number;
}

export const RATES = {
  // A replay after a long train ride, then a fast clicker.
  intents: { burst: 60, perSecond: 20 },
  // A browser sends its state when the viewed photo changes; a flicker through a gallery is more.
  awareness: { burst: 20, perSecond: 5 },
  // Sync step 1 makes the room encode the document for the sender: costly in a large room. Enough
  // for every tab a person may open at once (SOCKETS.perActor) and a few reconnects.
  sync: { burst: 12, perSecond: 0.2 },
  // Everyone on one network together (a family at home, an office): far above people picking,
  // and well under the room's, so identities made cheaply from one network cannot take it all.
  networkIntents: { burst: 150, perSecond: 50 },
  // As many as the network may open sockets at once (every socket syncs as it opens: a deploy
  // reconnects an office or a venue's Wi-Fi all together), then a few a second.
  networkSync: { burst: 150, perSecond: 2 },
  // Everyone together: well above a real wedding's crowd, well below what stalls the object.
  roomIntents: { burst: 600, perSecond: 200 },
  roomAwareness: { burst: 400, perSecond: 120 },
} satisfies Record<string, Rate>;

/**
 * Once refused, a person's intents are refused until then, so one sent after a refused one cannot
 * overtake it (an unpick applied before the pick it undoes).
 */
export const HOLD_MS = 1000;
/**
 * Refused this often within the window, a person is cut off for a while. A client that waits when
 * asked never is: Loupe's browser has at most 50 intents in flight, 10 after a refusal. A dropped
 * presence frame weighs a quarter (a held-down arrow key flicks through photos 30 times a second).
 */
export const CUT_OFF = { refusals: 200, windowMs: 10_000, barMs: 60_000, presenceWeight: 0.25 };
export const SOCKETS = { perActor: 8, perNetwork: 150, perRoom: 600 };

const MAX_ACTORS = 5_000;

class Bucket {
  #tokens: number;
  #at: number;
  constructor(
    private readonly rate: Rate,
    now: number,
  ) {
    this.#tokens = rate.burst;
    this.#at = now;
  }

  /** Whether one could be taken now, taking none. */
  ready(now: number): boolean {
    return Math.min(this.rate.burst, this.#tokens + (Math.max(0, now - this.#at) / 1000) * this.rate.perSecond) >= 1;
  }

  /** 0 when one was taken; else the milliseconds until one is there. */
  take(now: number): number {
    this.#tokens = Math.min(this.rate.burst, this.#tokens + (Math.max(0, now - this.#at) / 1000) * this.rate.perSecond);
    this.#at = now;
    if (this.#tokens < 1) return ((1 - this.#tokens) / this.rate.perSecond) * 1000;
    this.#tokens -= 1;
    return 0;
  }
}

interface ActorBudget {
  intents: Bucket;
  awareness: Bucket;
  sync: Bucket;
  heldUntil: number;
  refusals: number;
  windowStart: number;
  barredUntil: number;
  seen: number;
}

export type IntentVerdict = { ok: true } | { ok: false; retryAfterMs: number; who: "person" | "network" | "room" };

interface NetworkBudget {
  intents: Bucket;
  sync: Bucket;
}

export class RoomBudgets {
  #actors = new Map<string, ActorBudget>();
  #networks = new Map<string, NetworkBudget>();
  #roomIntents: Bucket;
  #roomAwareness: Bucket;

  constructor(now = Date.now()) {
    this.#roomIntents = new Bucket(RATES.roomIntents, now);
    this.#roomAwareness = new Bucket(RATES.roomAwareness, now);
  }

  #of(actorId: string, now: number): ActorBudget {
    let b = this.#actors.get(actorId);
    if (!b) {
      // Memory must not grow with the number of identities that ever spoke: the least recently
      // added go first, and someone idle has a full budget anyway.
      if (this.#actors.size >= MAX_ACTORS) {
        for (const [id, old] of this.#actors) {
          if (this.#actors.size < MAX_ACTORS * 0.9) break;
          if (old.barredUntil <= now) this.#actors.delete(id);
        }
      }
      b = {
        intents: new Bucket(RATES.intents, now),
        awareness: new Bucket(RATES.awareness, now),
        sync: new Bucket(RATES.sync, now),
        heldUntil: 0,
        refusals: 0,
        windowStart: now,
        barredUntil: 0,
        seen: now,
      };
      this.#actors.set(actorId, b);
    }
    b.seen = now;
    return b;
  }

  /** A client's network's share (null: no address known, or the studio, which is not budgeted by network). */
  #network(net: string, now: number): NetworkBudget {
    let b = this.#networks.get(net);
    if (!b) {
      // As for actors: the oldest go first, and a network idle that long has a full budget anyway.
      if (this.#networks.size >= MAX_ACTORS) for (const id of [...this.#networks.keys()].slice(0, MAX_ACTORS / 10)) this.#networks.delete(id);
      b = { intents: new Bucket(RATES.networkIntents, now), sync: new Bucket(RATES.networkSync, now) };
      this.#networks.set(net, b);
    }
    return b;
  }

  intent(actorId: string, now = Date.now(), net: string | null = null): IntentVerdict {
    const b = this.#of(actorId, now);
    if (b.heldUntil > now) return { ok: false, retryAfterMs: b.heldUntil - now, who: "person" };
    const wait = b.intents.take(now);
    if (wait > 0) {
      b.heldUntil = now + Math.max(HOLD_MS, wait);
      return { ok: false, retryAfterMs: b.heldUntil - now, who: "person" };
    }
    const netWait = net === null ? 0 : this.#network(net, now).intents.take(now);
    if (netWait > 0) {
      // Held as for their own budget: what they send next must not overtake the refused one.
      b.heldUntil = now + Math.max(HOLD_MS, netWait);
      return { ok: false, retryAfterMs: b.heldUntil - now, who: "network" };
    }
    const roomWait = this.#roomIntents.take(now);
    if (roomWait > 0) return { ok: false, retryAfterMs: Math.max(HOLD_MS, roomWait), who: "room" };
    return { ok: true };
  }

  /** 0 when this awareness frame may go out now; else how long until one may. */
  awareness(actorId: string, now = Date.now()): number {
    const wait = this.#of(actorId, now).awareness.take(now);
    return wait > 0 ? wait : this.#roomAwareness.take(now);
  }

  /** Whether this document sync may be answered; a refused one spends neither the person's budget nor the network's. */
  sync(actorId: string, now = Date.now(), net: string | null = null): boolean {
    const mine = this.#of(actorId, now).sync;
    const ours = net === null ? null : this.#network(net, now).sync;
    if (!mine.ready(now) || (ours && !ours.ready(now))) return false;
    mine.take(now);
    ours?.take(now);
    return true;
  }

  /** Counts a refusal (`weight`: less for presence); true when it is one too many and the person is now cut off. */
  refused(actorId: string, now = Date.now(), weight = 1): boolean {
    const b = this.#of(actorId, now);
    if (now - b.windowStart > CUT_OFF.windowMs) {
      b.windowStart = now;
      b.refusals = 0;
    }
    b.refusals += weight;
    if (b.refusals < CUT_OFF.refusals) return false;
    b.barredUntil = now + CUT_OFF.barMs;
    b.refusals = 0;
    return true;
  }

  /** Milliseconds this person is still cut off for (0: not). */
  barred(actorId: string, now = Date.now()): number {
    const until = this.#actors.get(actorId)?.barredUntil ?? 0;
    return Math.max(0, until - now);
  }
}
