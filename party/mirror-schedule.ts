// When the room copies its outbox into the tenant's D1: an alarm a second after the first
// unmirrored change (so a burst of picks goes in one batch), and again later while D1 fails.
import type { MirrorEntry, Outbox } from "./outbox";

const MIRROR_DELAY_MS = 1000;
const MIRROR_RETRY_MS = 10_000;
const MIRROR_BATCH = 100;

export class MirrorSchedule {
  #scheduled = false;

  constructor(
    private readonly storage: () => DurableObjectStorage,
    private readonly outbox: () => Outbox,
    private readonly room: () => string,
  ) {}

  schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    void this.storage().setAlarm(Date.now() + MIRROR_DELAY_MS);
  }

  /** The alarm: everything pending, oldest first; what failed is kept and tried again. False: the studio is gone. */
  async run(mirror: (entries: MirrorEntry[]) => Promise<boolean>): Promise<boolean> {
    this.#scheduled = false;
    try {
      return await this.outbox().drain(MIRROR_BATCH, mirror);
    } catch (err) {
      console.error(JSON.stringify({ level: "error", msg: "room mirror failed; retrying", room: this.room(), error: String(err) }));
      this.#scheduled = true;
      await this.storage().setAlarm(Date.now() + MIRROR_RETRY_MS);
      return true;
    }
  }
}
