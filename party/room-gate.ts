// Who may open a socket in the room and how much each person may send: the room's budgets
// (budgets.ts), the intake of intent frames (intake.ts), the caps on sockets, and cutting off a
// person who keeps sending after being told to wait.
import type { Connection } from "partyserver";
import { RoomBudgets, SOCKETS } from "./budgets";
import type { Actor } from "./doc";
import { Intake } from "./intake";
import { stateOf } from "./presence-relay";
import { REFUSAL_CLOSE } from "./room-token";

export const TOO_MANY_SOCKETS_CLOSE: [number, string] = [4429, "too many connections; close another tab and try again"];
export const CUT_OFF_CLOSE: [number, string] = [4429, "too many messages; try again in a minute"];
export const SYNC_LIMIT_CLOSE: [number, string] = [4429, "too many sync requests; reconnect shortly"];

export class RoomGate {
  readonly budgets = new RoomBudgets();
  readonly intake = new Intake(this.budgets);
  #told = new WeakMap<Connection, number>();
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

  /** Why this person may not open another socket now, or null. */
  refuseSocket(conn: Connection, actorId: string): [number, string] | null {
    if (this.budgets.barred(actorId) > 0) return CUT_OFF_CLOSE;
    let mine = 0;
    let all = 0;
    for (const c of this.connections()) {
      if (c === conn) continue;
      all += 1;
      if (stateOf(c).actor?.id === actorId) mine += 1;
    }
    return mine >= SOCKETS.perActor || all >= SOCKETS.perRoom ? TOO_MANY_SOCKETS_CLOSE : null;
  }

  /** Why a client's token no longer opens this gallery (a new password, visibility or expiry), or null. */
  stale(actor: Actor, av: number | null): "access_changed" | "gallery_expired" | null {
    if (actor.role !== "client" || !this.access) return null;
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

  /** Counts a refused frame against its sender; past the limit all their sockets close. True if so. */
  refused(actor: Actor, weight = 1): boolean {
    if (!this.budgets.refused(actor.id, Date.now(), weight)) return false;
    console.warn(JSON.stringify({ level: "warn", msg: "room cut off a flooding person", room: this.room(), actor: actor.id }));
    for (const c of this.connections()) if (stateOf(c).actor?.id === actor.id) c.close(...CUT_OFF_CLOSE);
    return true;
  }
}
