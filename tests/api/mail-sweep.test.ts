// The ten-minute sweep re-announces mail whose queue message was lost. A studio can have far more
// than a queue batch's 100 such mails (a Queues outage during a busy hour, or mail held until the
// owner confirmed their address): every one of them goes out, not none.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { directoryDb } from "../../worker/db/directory-db";
import { resendStalledMail } from "../../worker/domain/mail/scheduled";
import { signUp } from "../helpers/http";

const STALLED = 150;

describe("the stalled-mail sweep", () => {
  it(`sends all ${STALLED} of a studio's stalled mails, past a queue batch of 100`, { timeout: 90_000 }, async () => {
    const owner = await signUp("mail-sweep");
    const d1 = (env as unknown as Record<string, D1Database>)[`TENANT_DB_${owner.studio.shard}`]!;
    const longAgo = Date.now() - 30 * 60_000;
    const insert = d1.prepare(
      "INSERT INTO email_outbox (tenant_id, id, kind, \"to\", subject, text, status, created_at) VALUES (?, ?, 'studio_alert', ?, 'Stalled', 'A mail whose queue message was lost.', 'queued', ?)",
    );
    await d1.batch(Array.from({ length: STALLED }, (_, i) => insert.bind(owner.studio.id, `em_sweep_${i}`, `owner+${i}@sweep.test`, longAgo)));

    const found = await resendStalledMail(env, directoryDb(env), owner.studio.shard);
    expect(found).toBeGreaterThanOrEqual(STALLED);
    const sent = async () =>
      (
        await d1
          .prepare("SELECT count(*) AS n FROM email_outbox WHERE tenant_id = ? AND id LIKE 'em_sweep_%' AND status = 'sent'")
          .bind(owner.studio.id)
          .first<{ n: number }>()
      )?.n ?? 0;
    const deadline = Date.now() + 60_000;
    while ((await sent()) < STALLED && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    expect(await sent()).toBe(STALLED);
  });
});
