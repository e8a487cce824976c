// Mail leaves through the queue: the change that causes a mail writes its outbox row and, once
// committed, sends the row's id to the mail queue; the consumer sends it to the provider (a local
// fake of a Resend-shaped API) with the row id as idempotency key. An order's confirmation goes
// out exactly once even when the provider fails twice first, and a second delivery of the same
// message, or the sweep, sends nothing again. The daily run announces galleries about to close,
// once, to the studio and the gallery's buyers.
import { createScheduledController, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { MailView } from "../../worker/contract/store";
import { DAILY } from "../../worker/cron";
import worker from "../../worker/index";
import { newGallery } from "../helpers/galleries";
import { call, json } from "../helpers/http";
import { fakeMail, sentTo, until } from "../helpers/mail";
import type { MailAttempt } from "../setup/fake-mail";
import { buyer, client, openShop, storePath } from "./helpers";

const attemptsTo = async (to: string): Promise<MailAttempt[]> =>
  ((await (await fetch(`${fakeMail}/__requests`)).json()) as MailAttempt[]).filter((a) => a.to.includes(to));
const runCron = (cron: string) => worker.scheduled(createScheduledController({ cron, scheduledTime: Date.now() }), env);

describe("mail through the queue", () => {
  it("sends an order's confirmation exactly once, also when the provider fails twice first", async () => {
    const shop = await openShop("mail-queue", 1);
    const to = "twice-failed@mail-queue.test";
    await fetch(`${fakeMail}/__fail`, { method: "POST", body: JSON.stringify({ to, times: 2 }) });
    const maria = await client(shop);
    await maria.put({ lines: [{ itemId: shop.item("Web download"), photoIds: [shop.photoIds[0]] }] });
    const placed = await maria.checkout({ ...buyer, email: to });
    expect(placed.status).toBe(201);

    const attempts = await until(
      "three attempts",
      () => attemptsTo(to),
      (a) => a.some((x) => x.status === 200),
    );
    expect(attempts.map((a) => a.status)).toEqual([500, 500, 200]);
    // Every attempt carried the outbox row's id: a retry the provider had already taken is not a second mail.
    expect(new Set(attempts.map((a) => a.idempotencyKey)).size).toBe(1);
    expect(attempts[0]!.idempotencyKey).toMatch(/^em:order:/);
    expect(attempts[0]!.authorization).toBe("Bearer re_test_loupe_fake");
    expect(await sentTo(to)).toHaveLength(1);

    const mailbox = await until(
      "the mailbox says sent",
      async () => (await json(await call("GET", `${storePath(shop.owner)}/mail`, { jar: shop.owner.jar }))).mail as MailView[],
      (m) => m.some((x) => x.to === to && x.status === "sent"),
    );
    const row = mailbox.find((m) => m.to === to)!;
    expect(row).toMatchObject({ status: "sent", attempts: 3 });
    expect(row.lastError).toBeNull();

    // The same message again (queues deliver at least once) and the sweep: nothing more is sent.
    await env.MAIL_QUEUE.send({ tenantId: shop.owner.studio.id, slug: shop.owner.studio.slug, shard: shop.owner.studio.shard, mailId: row.id });
    await runCron("*/10 * * * *");
    await new Promise((r) => setTimeout(r, 3000));
    expect(await attemptsTo(to)).toHaveLength(3);
    expect(await sentTo(to)).toHaveLength(1);
  });

  it("tells the studio and the buyers once that a gallery closes within three days", async () => {
    const shop = await openShop("mail-expiring", 1);
    expect((await call("PATCH", `/api/studios/${shop.owner.studio.id}`, { jar: shop.owner.jar, body: { notifyEmail: "studio@expiring.test" } })).status).toBe(
      200,
    );
    const maria = await client(shop);
    await maria.put({ lines: [{ itemId: shop.item("Web download"), photoIds: [shop.photoIds[0]] }] });
    expect((await maria.checkout({ ...buyer, email: "maria@expiring.test" })).status).toBe(201);
    const soon = new Date(Date.now() + 2 * 86_400_000).toISOString();
    expect(
      (await call("PATCH", `/api/studios/${shop.owner.studio.id}/galleries/${shop.galleryId}`, { jar: shop.owner.jar, body: { expiresAt: soon } })).status,
    ).toBe(200);
    const later = await newGallery(shop.owner, { title: "Not yet", expiresAt: new Date(Date.now() + 10 * 86_400_000).toISOString() });

    await runCron(DAILY);
    await runCron(DAILY);
    const notices = await until(
      "both notices sent",
      async () =>
        ((await json(await call("GET", `${storePath(shop.owner)}/mail`, { jar: shop.owner.jar }))).mail as MailView[]).filter(
          (m) => m.kind === "gallery_expiring",
        ),
      (n) => n.length === 2 && n.every((m) => m.status === "sent"),
    );
    expect(notices.map((m) => m.to).sort()).toEqual(["maria@expiring.test", "studio@expiring.test"]);
    expect(notices[0]!.subject).toMatch(/^mail-expiring wedding closes on /);
    expect(notices[0]!.text).toContain(`http://mail-expiring.localhost:8787/g/${shop.galleryId}`);
    const all = (await json(await call("GET", `${storePath(shop.owner)}/mail?limit=200`, { jar: shop.owner.jar }))).mail as MailView[];
    expect(all.some((m) => m.text.includes(later.id))).toBe(false);
    expect((await sentTo("studio@expiring.test")).filter((m) => m.subject.includes("closes on"))).toHaveLength(1);
  });
});
