// What happens to an intent frame when it reaches the room. Everything a frame can be refused for
// without reading the document (its size, its JSON, its sender's or the room's budget, a full
// queue) is decided on arrival, before it joins the queue of intents waiting their turn, and every
// refusal names the intent and, when it may be sent again, when.
import type { RoomBudgets } from "./budgets";
import type { Outcome } from "./doc";

const MAX_FRAME_CHARS = 8 * 1024;
const MAX_QUEUED = 500;
const REFUSED = {
  person: "intent: too many at once from you; send it again shortly",
  network: "intent: too many at once from your network; send it again shortly",
  room: "intent: the room is busy; send it again shortly",
} as const;
const BUSY_RETRY_MS = 2000;

export interface Refusal {
  id: string | null;
  outcome: Extract<Outcome, { ok: false }>;
  /** Set when the intent was not taken and may be sent again after this long. */
  retryAfterMs?: number;
}

/** The intent id of a frame that is not read whole (too large, not JSON), so its sender can be told. */
const idIn = (frame: string) => /"id"\s*:\s*"([\w-]{4,64})"/.exec(frame.slice(0, 512))?.[1] ?? null;

const refuse = (id: string | null, message: string, retryAfterMs?: number): Refusal => ({
  id,
  outcome: { ok: false, code: retryAfterMs === undefined ? "invalid_intent" : "rate_limited", message },
  ...(retryAfterMs === undefined ? {} : { retryAfterMs: Math.ceil(retryAfterMs) }),
});

/** The room's answer to an intent: taken, or refused and why, and when to send it again if it may be. */
export function answerFrame(id: string | null, outcome: Outcome, duplicate = false, retryAfterMs?: number): string {
  const body = outcome.ok ? { type: "ack", id } : { type: "rejected", id, code: outcome.code, message: outcome.message };
  return JSON.stringify({ ...body, ...(duplicate ? { duplicate } : {}), ...(retryAfterMs ? { retryAfterMs: Math.ceil(retryAfterMs) } : {}) });
}

export class Intake {
  #queued = 0;

  constructor(private readonly budgets: RoomBudgets) {}

  /** The frame's JSON, counted as waiting until `done()`; or why it is refused now. */
  admit(actorId: string, frame: string, now = Date.now(), net: string | null = null): { raw: unknown } | Refusal {
    if (frame.length > MAX_FRAME_CHARS) return refuse(idIn(frame), "intent: is over 8 KB");
    let raw: unknown;
    try {
      raw = JSON.parse(frame);
    } catch {
      return refuse(idIn(frame), "intent: is not JSON");
    }
    const id = typeof (raw as { id?: unknown } | null)?.id === "string" ? (raw as { id: string }).id : null;
    // None of the refusals below is recorded: the same id, sent again later, is applied then.
    const verdict = this.budgets.intent(actorId, now, net);
    if (!verdict.ok) return refuse(id, REFUSED[verdict.who], verdict.retryAfterMs);
    if (this.#queued >= MAX_QUEUED) return refuse(id, "intent: the room is busy; send it again shortly", BUSY_RETRY_MS);
    this.#queued += 1;
    return { raw };
  }

  done(): void {
    this.#queued -= 1;
  }
}
