// Presence frames between the room's sockets. Each is rewritten (presence.ts) and re-sent to every
// connection, so one person's frames cost the room once per listener: over their budget, a
// person's newest frame waits for it and the frames it replaces are dropped, since presence is
// only ever "where I am now".
import type { Connection } from "partyserver";
import * as awarenessProtocol from "y-protocols/awareness";
import { CUT_OFF, type RoomBudgets } from "./budgets";
import type { Actor } from "./doc";
import { presenceFrame } from "./presence";

export interface ConnState {
  actor?: Actor;
  /** The gallery access version a client's token was issued under (null: the studio's). */
  av?: number | null;
  /** A client's network (worker/contract/network.ts), which its budgets count too; null: unknown or the studio. */
  net?: string | null;
  __ypsAwarenessIds?: number[];
}

export const stateOf = (conn: Connection) => (conn.state ?? {}) as ConnState;

const MIN_WAIT_MS = 50;

interface RoomSide {
  connections(): Iterable<Connection>;
  awareness(): awarenessProtocol.Awareness;
  budgets: RoomBudgets;
  /** Counts a refused frame against its sender, `weight` of a refused intent. */
  refused(actor: Actor, weight: number): void;
}

export class PresenceRelay {
  #held = new Map<Connection, { actor: Actor; bytes: Uint8Array }>();
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly room: RoomSide) {}

  receive(conn: Connection, actor: Actor, bytes: Uint8Array): void {
    const wait = this.room.budgets.awareness(actor.id);
    if (wait === 0) {
      this.#relay(conn, actor, bytes);
      return;
    }
    this.#held.set(conn, { actor, bytes });
    this.room.refused(actor, CUT_OFF.presenceWeight);
    this.#timer ??= setTimeout(() => this.#flush(), Math.max(MIN_WAIT_MS, wait));
  }

  /** The socket closed: what it held back must not bring its presence back. */
  forget(conn: Connection): void {
    this.#held.delete(conn);
  }

  #flush(): void {
    this.#timer = null;
    let next = Number.POSITIVE_INFINITY;
    for (const [conn, { actor, bytes }] of this.#held) {
      const wait = this.room.budgets.awareness(actor.id);
      if (wait > 0) {
        next = Math.min(next, wait);
        continue;
      }
      this.#held.delete(conn);
      this.#relay(conn, actor, bytes);
    }
    if (Number.isFinite(next)) this.#timer = setTimeout(() => this.#flush(), Math.max(MIN_WAIT_MS, next));
  }

  #relay(conn: Connection, actor: Actor, bytes: Uint8Array): void {
    const own = stateOf(conn).__ypsAwarenessIds ?? [];
    // Connection state survives hibernation; the awareness map does not.
    const heldByOther = (id: number) => {
      for (const c of this.room.connections()) if (c !== conn && (stateOf(c).__ypsAwarenessIds ?? []).includes(id)) return true;
      return false;
    };
    const presence = presenceFrame(bytes, actor, own, heldByOther);
    if (!presence) return;
    awarenessProtocol.applyAwarenessUpdate(this.room.awareness(), presence.update, conn);
    for (const c of this.room.connections()) {
      try {
        c.send(presence.frame);
      } catch {
        // A socket closing under us gets its close event; nothing to do here.
      }
    }
  }
}
