// Presence rides on Yjs awareness, but a browser's awareness frame is only a hint: the room keeps
// one awareness client id per connection and rewrites the state so that the name and role always
// come from the room token. Whatever else a client puts there is dropped.
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import type { Actor } from "./doc";

export interface PresenceState {
  user: { id: string; name: string; role: Actor["role"] };
  /** The photo this person has open, if any. */
  viewing: string | null;
}

interface AwarenessEntry {
  clientId: number;
  clock: number;
  state: unknown;
}

const PHOTO_ID = /^[\w-]{1,64}$/;
export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const SYNC_STEP_1 = 0;

export const bytesOf = (m: ArrayBuffer | ArrayBufferView) =>
  m instanceof ArrayBuffer ? new Uint8Array(m) : new Uint8Array(m.buffer, m.byteOffset, m.byteLength);

/** A y-protocols frame's message type and, for sync, its kind; -1 where unreadable. */
export function frameKind(bytes: Uint8Array): { type: number; subtype: number } {
  try {
    const decoder = decoding.createDecoder(bytes);
    const type = decoding.readVarUint(decoder);
    return { type, subtype: type === MESSAGE_SYNC ? decoding.readVarUint(decoder) : -1 };
  } catch {
    return { type: -1, subtype: -1 };
  }
}

function readEntries(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  const n = decoding.readVarUint(decoder);
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < n && i < 16; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const raw = decoding.readVarString(decoder);
    let state: unknown = null;
    try {
      state = JSON.parse(raw);
    } catch {
      state = null;
    }
    entries.push({ clientId, clock, state });
  }
  return entries;
}

export function presenceFor(actor: Actor, state: unknown): PresenceState | null {
  if (state === null || typeof state !== "object") return null;
  const viewing = (state as { viewing?: unknown }).viewing;
  return {
    user: { id: actor.id, name: actor.name, role: actor.role },
    viewing: typeof viewing === "string" && PHOTO_ID.test(viewing) ? viewing : null,
  };
}

/**
 * The awareness update the room will apply for this connection: only its own client id (the
 * first one it used, unless another connection holds that id), with the state rewritten.
 * Null when the frame has nothing this connection may say.
 */
export function rewriteAwareness(update: Uint8Array, actor: Actor, ownIds: number[], heldByOther: (clientId: number) => boolean): Uint8Array | null {
  let entries: AwarenessEntry[];
  try {
    entries = readEntries(update);
  } catch {
    return null;
  }
  const mine = entries.find((e) => (ownIds.length > 0 ? ownIds.includes(e.clientId) : !heldByOther(e.clientId)));
  if (!mine) return null;
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint(encoder, mine.clientId);
  encoding.writeVarUint(encoder, mine.clock);
  encoding.writeVarString(encoder, JSON.stringify(presenceFor(actor, mine.state)));
  return encoding.toUint8Array(encoder);
}

/**
 * A browser's awareness frame (message type 1) as the room relays it: the rewritten update to
 * apply, and the frame to send everyone. Null when there is nothing this connection may say.
 */
export function presenceFrame(bytes: Uint8Array, actor: Actor, ownIds: number[], heldByOther: (clientId: number) => boolean) {
  let update: Uint8Array;
  try {
    const decoder = decoding.createDecoder(bytes);
    decoding.readVarUint(decoder);
    update = decoding.readVarUint8Array(decoder);
  } catch {
    return null;
  }
  const rewritten = rewriteAwareness(update, actor, ownIds, heldByOther);
  if (!rewritten) return null;
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint8Array(encoder, rewritten);
  return { update: rewritten, frame: encoding.toUint8Array(encoder) };
}
