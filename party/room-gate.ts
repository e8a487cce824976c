// Who may open a socket in the room and how much each person may send: the room's budgets
// (budgets.ts), the intake of intent frames (intake.ts), the caps on sockets, and cutting off a
// person who keeps sending after being told to wait.
import type { Connection } from "partyserver";
import { RoomBudgets, SOCKETS } from "./budgets";
import type { Actor } from "./doc";
import { Intake } from "./intake";
import { stateOf } from "./presence-relay";
import { claimedActor, REFUSAL_CLOSE } from "./room-token";

export const TOO_MANY_SOCKETS_CLOSE: [number, string] = [4429, "too many connections; close another tab and try again"];
export const CUT_OFF_CLOSE: [number, string] = [4429, "too many messages; try again in a minute"];
/** How often a connected photographer's membership is checked: "within seconds" of removal. */
export const WATCH_MS = 5_000;
export const SYNC_LIMIT_CLOSE: [number, string] = [4429, "too many sync requests; reconnect shortly"];

export class RoomGate {
  readonly budgets = new RoomBudgets();
  readonly intake = new Intake(this.budgets);
  #told = new WeakMap<Connection, number>();
  #watchTimer: ReturnType<typeof setTimeout> | null = null;
  /** The gallery's access as D1 last said (null: not read yet). */
  access: { version: number; expiresAt: number | null } | null = null;

  constructor(
    private readonly connections: () => Iterable<Connection>,
    private readonly room: () => string,
  ) {}

  /**
   * Whether this socket should be told about a refusal now. While its sender is held, one answer
   * per socket is enough: the browser waits and then sends everything unanswered again, and a
   * flood of answers would cost the room as much as the flood.
   */
  tell(conn: Connection, retryAfterMs: number, now = Date.now()): boolean {
    if ((this.#told.get(conn) ?? 0) > now) return false;
    this.#told.set(conn, now + retryAfterMs);
    return true;
  }

  /**
   * Whether the token's holder is cut off, read before its signature is checked: a flooder
   * reconnecting costs the room nothing more (a forged token naming them is turned away too).
   */
  cutOff(token: string | null): boolean {
    const claimed = claimedActor(token);
    return claimed !== null && this.budgets.barred(claimed) > 0;
  }

  /** Why this person (from this network, null if unknown) may not open another socket now, or null. */
  refuseSocket(conn: Connection, actorId: string, net: string | null = null): [number, string] | null {
    if (this.budgets.barred(actorId) > 0) return CUT_OFF_CLOSE;
    let mine = 0;
    let ours = 0;
    let all = 0;
    for (const c of this.connections()) {
      if (c === conn) continue;
      all += 1;
      const state = stateOf(c);
      if (state.actor?.id === actorId) mine += 1;
      if (net !== null && state.net === net) ours += 1;
    }
    return mine >= SOCKETS.perActor || ours >= SOCKETS.perNetwork || all >= SOCKETS.perRoom ? TOO_MANY_SOCKETS_CLOSE : null;
  }

  /**
   * Why a client's token no longer opens this gallery (a new password, visibility or expiry), or
   * null. Until D1 has told the room the gallery's access, clients are not let in: it fails closed.
   */
  stale(actor: Actor, av: number | null): "access_changed" | "gallery_expired" | "unavailable" | null {
    if (actor.role !== "client") return null;
    if (!this.access) return "unavailable";
    if (this.access.expiresAt !== null && this.access.expiresAt <= Date.now()) return "gallery_expired";
    return av !== this.access.version ? "access_changed" : null;
  }

  /** Shuts out of the open room whoever `stale` would not let in now. */
  closeStale(): void {
    for (const c of this.connections()) {
      const { actor, av } = stateOf(c);
      const stale = actor && this.stale(actor, av ?? null);
      if (stale) c.close(...REFUSAL_CLOSE[stale]);
    }
  }

  /**
   * Keeps checking, while someone is connected, what can change under an open socket: every
   * WATCH_MS while a photographer is connected (their membership), and when the gallery expires
   * (within a day). A pending timer keeps the object awake, so there is none otherwise.
   */
  scheduleWatch(members: (accountIds: string[]) => Promise<Set<string>>, again = false): void {
    if (this.#watchTimer && again) {
      clearTimeout(this.#watchTimer);
      this.#watchTimer = null;
    }
    if (this.#watchTimer) return;
    let photographer = false;
    for (const c of this.connections()) if (stateOf(c).actor?.role === "photographer") photographer = true;
    const expiresIn = this.access?.expiresAt ? this.access.expiresAt - Date.now() : Number.POSITIVE_INFINITY;
    const wait = photographer ? WATCH_MS : expiresIn < 86_400_000 ? Math.max(1000, expiresIn + 500) : null;
    if (wait === null) return;
    this.#watchTimer = setTimeout(() => {
      this.#watchTimer = null;
      this.watch(members)
        .catch((err: unknown) =>
          console.error(JSON.stringify({ level: "error", msg: "room could not check its members", room: this.room(), error: String(err) })),
        )
        .finally(() => this.scheduleWatch(members));
    }, wait);
  }

  /** Photographers whose membership the studio has ended are shown out, and expired clients too. */
  async watch(members: (accountIds: string[]) => Promise<Set<string>>): Promise<void> {
    this.closeStale();
    const photographers = new Set<string>();
    for (const c of this.connections()) {
      const actor = stateOf(c).actor;
      if (actor && actor.role !== "client") photographers.add(actor.id);
    }
    if (photographers.size === 0) return;
    const still = await members([...photographers].slice(0, 80));
    for (const c of this.connections()) {
      const actor = stateOf(c).actor;
      if (actor && actor.role !== "client" && photographers.has(actor.id) && !still.has(actor.id)) c.close(...REFUSAL_CLOSE.not_member);
    }
  }

  /** Counts a refused frame against its sender; past the limit all their sockets close. True if so. */
  refused(actor: Actor, weight = 1): boolean {
    if (!this.budgets.refused(actor.id, Date.now(), weight)) return false;
    console.warn(JSON.stringify({ level: "warn", msg: "room cut off a flooding person", room: this.room(), actor: actor.id }));
    for (const c of this.connections()) if (stateOf(c).actor?.id === actor.id) c.close(...CUT_OFF_CLOSE);
    return true;
  }
}
