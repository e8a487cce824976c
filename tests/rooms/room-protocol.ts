// The browser's side of a gallery room, without a transport: a Yjs document kept in sync over
// y-protocols, awareness, and the room's `__YPS:` replies. The workerd and Node test clients wrap it.
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { roots } from "../../party/doc";

export interface Reply {
  type: string;
  id?: string | null;
  code?: string;
  message?: string;
  duplicate?: boolean;
  /** On a refusal that asks for the intent again later. */
  retryAfterMs?: number;
  [k: string]: unknown;
}

// Generous: on a loaded 2-core CI machine a room can take seconds to wake; tests assert what
// happens, not how fast.
/** `what` may be a function, to describe the state at the moment of the timeout. */
export async function until<T>(
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  what: string | (() => string),
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === "function" ? what() : what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

let intentCounter = 0;
export const intentId = (label = "i") => `${label}-${Date.now().toString(36)}-${(intentCounter++).toString(36)}`;

export class RoomProtocol {
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly replies: Reply[] = [];
  synced = false;
  closed: { code: number; reason: string } | null = null;

  constructor(private readonly write: (data: string | Uint8Array) => void) {}

  /** The first frame a client sends: its state vector, so the room answers with the document. */
  hello(): void {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    syncProtocol.writeSyncStep1(encoder, this.doc);
    this.write(encoding.toUint8Array(encoder));
  }

  receive(data: string | Uint8Array): void {
    if (typeof data === "string") {
      if (data.startsWith("__YPS:")) this.replies.push(JSON.parse(data.slice(6)) as Reply);
      return;
    }
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    if (type === 0) {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 0);
      const kind = syncProtocol.readSyncMessage(decoder, encoder, this.doc, "server");
      if (kind === syncProtocol.messageYjsSyncStep2) this.synced = true;
      if (encoding.length(encoder) > 1) this.write(encoding.toUint8Array(encoder));
    } else if (type === 1) {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), "server");
    }
  }

  send(intent: Record<string, unknown>): void {
    this.write(`__YPS:${JSON.stringify(intent)}`);
  }

  /** Sends an intent and waits for the room's answer to its id. */
  async intent(intent: Record<string, unknown>): Promise<Reply> {
    const before = this.replies.length;
    this.send(intent);
    return until(
      () => this.replies.slice(before).find((r) => r.id === intent.id && (r.type === "ack" || r.type === "rejected")),
      `reply to ${String(intent.id)}`,
    );
  }

  async ready(): Promise<this> {
    await until(() => this.synced || this.closed, "sync");
    return this;
  }

  async closedWith(): Promise<{ code: number; reason: string }> {
    return until(() => this.closed, "close");
  }

  /** Every pick in the room as a `list/photo` key. */
  get picks(): Set<string> {
    const keys = new Set<string>();
    for (const [listId, photos] of roots(this.doc).picked) for (const photoId of photos.keys()) keys.add(`${listId}/${photoId}`);
    return keys;
  }
  get lists() {
    return this.doc.getMap<{ id: string; name: string; ownerId: string; submittedAt: number | null }>("lists");
  }
  get comments() {
    return this.doc.getMap<{ id: string; text: string; authorId: string; authorName: string; resolved: boolean; replyTo?: string | null }>("comments");
  }
}
