// The daily run announces galleries about to close, once, to the studio and the gallery's buyers;
// without a mail provider the mail stays queued for the dashboard's mailbox.
import { createScheduledController, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { DAILY } from "../../worker/cron";
import worker from "../../worker/index";
import { newGallery } from "../helpers/galleries";
import { call, json } from "../helpers/http";
import { buyer, client, openShop, storePath } from "./helpers";

const runDaily = () => worker.scheduled(createScheduledController({ cron: DAILY, scheduledTime: Date.now() }), env);

describe("scheduled mail", () => {
  it("tells the studio and the buyers once that a gallery closes within three days", async () => {
    const shop = await openShop("mail-expiring", 1);
    expect((await call("PATCH", `/api/studios/${shop.owner.studio.id}`, { jar: shop.owner.jar, body: { contactEmail: "studio@expiring.test" } })).status).toBe(
      200,
    );
    const maria = await client(shop);
    await maria.put({ lines: [{ itemId: shop.item("Web download"), photoIds: [shop.photoIds[0]] }] });
    expect((await maria.checkout(buyer)).status).toBe(201);
    const soon = new Date(Date.now() + 2 * 86_400_000).toISOString();
    expect(
      (await call("PATCH", `/api/studios/${shop.owner.studio.id}/galleries/${shop.galleryId}`, { jar: shop.owner.jar, body: { expiresAt: soon } })).status,
    ).toBe(200);
    const later = await newGallery(shop.owner, { title: "Not yet", expiresAt: new Date(Date.now() + 10 * 86_400_000).toISOString() });

    await runDaily();
    await runDaily();
    const mail = (await json(await call("GET", `${storePath(shop.owner)}/mail`, { jar: shop.owner.jar }))).mail as {
      kind: string;
      to: string;
      subject: string;
      text: string;
      status: string;
    }[];
    const notices = mail.filter((m) => m.kind === "gallery_expiring");
    expect(notices.map((m) => m.to).sort()).toEqual([buyer.email, "studio@expiring.test"]);
    expect(notices[0]!.subject).toMatch(/^mail-expiring wedding closes on /);
    expect(notices[0]!.text).toContain(`/g/${shop.galleryId}`);
    expect(mail.some((m) => m.text.includes(later.id))).toBe(false);
    // No provider in tests: nothing was sent, everything waits in the mailbox.
    expect(mail.every((m) => m.status === "queued")).toBe(true);
  });
});
