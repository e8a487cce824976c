// The studio is told: a paid order, an offline order waiting for payment and a website message each
// raise one alert in the notification centre and one mail to the studio, however often the event
// is seen; comment alerts are counted per gallery and hour and mailed once as a digest; a kind of
// mail the studio turned off stays in the dashboard only.
import { createScheduledController, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { NotificationsResponse } from "../../worker/contract/alerts";
import worker from "../../worker/index";
import { formatMoney } from "../../worker/lib/money";
import { call, freshIp, json, studioHost } from "../helpers/http";
import { sentTo, until } from "../helpers/mail";
import { intentId, joinAsClient } from "../rooms/room-client";
import { buyer, client, openShop, storePath } from "./helpers";

describe("alerts", () => {
  it("an offline order waiting, then paid, and a website message: one alert and one mail each", async () => {
    const shop = await openShop("alerts-orders", 1);
    const { owner } = shop;
    const ownerEmail = "alerts-orders@example.test";
    const centre = () => call("GET", `/api/studios/${owner.studio.id}/notifications`, { jar: owner.jar }).then((r) => json<NotificationsResponse>(r));
    const maria = await client(shop);
    await maria.put({ lines: [{ itemId: shop.item("Web download"), photoIds: [shop.photoIds[0]] }] });
    const placed = await json(await maria.checkout({ ...buyer, email: "maria@alerts-orders.test" }));
    const order = placed.order;
    expect((await call("POST", `${storePath(owner)}/orders/${order.id}/mark-paid`, { jar: owner.jar })).status).toBe(200);
    // Seen again (a second click): refused, and no second alert.
    expect((await call("POST", `${storePath(owner)}/orders/${order.id}/mark-paid`, { jar: owner.jar })).status).toBe(409);

    const contact = await call("POST", "/contact", {
      host: studioHost(owner.studio.slug),
      ip: freshIp(),
      body: { name: "Ines", email: "ines@alerts.test", message: "Do you shoot elopements?" },
    });
    expect(contact.status).toBe(201);

    const alerts = await centre();
    expect(alerts.notifications.map((n) => n.kind)).toEqual(["contact_message", "order_paid", "order_waiting"]);
    expect(alerts.unread).toBe(3);
    expect(alerts.notifications[1]).toMatchObject({
      title: `Order #${order.number} paid: ${formatMoney(order.total, "usd")}`,
      link: "#/store/orders",
      readAt: null,
    });
    const mails = await until(
      "three alert mails",
      () => sentTo(ownerEmail),
      (m) => m.filter((x) => !/Confirm/.test(x.subject)).length >= 3,
    );
    const subjects = mails.map((m) => m.subject).filter((s) => !/Confirm/.test(s));
    expect(subjects.sort()).toEqual(
      [`New message from Ines`, `Order #${order.number} paid: ${formatMoney(order.total, "usd")}`, `Order #${order.number} waits for payment`].sort(),
    );
    const paidMail = mails.find((m) => m.subject.startsWith(`Order #${order.number} paid`))!;
    expect(paidMail.html).toContain("Open in Loupe");
    expect(paidMail.text).toContain("http://app.localhost:8787/#/store/orders");

    // Read: the count goes down, for everyone in the studio.
    expect(
      (await call("POST", `/api/studios/${owner.studio.id}/notifications/read`, { jar: owner.jar, body: { ids: [alerts.notifications[0]!.id] } })).status,
    ).toBe(204);
    expect((await centre()).unread).toBe(2);
    expect((await call("POST", `/api/studios/${owner.studio.id}/notifications/read`, { jar: owner.jar, body: { all: true } })).status).toBe(204);
    expect((await centre()).unread).toBe(0);
    // Nothing was mailed twice.
    await new Promise((r) => setTimeout(r, 1000));
    expect((await sentTo(ownerEmail)).filter((m) => !/Confirm/.test(m.subject))).toHaveLength(3);
  });

  it("mails a kind only while the studio wants it, and client comments as one digest after their hour", async () => {
    const shop = await openShop("alerts-prefs", 1);
    const { owner } = shop;
    const ownerEmail = "alerts-prefs@example.test";
    const prefs = await call("PUT", `/api/studios/${owner.studio.id}/alert-mail`, { jar: owner.jar, body: { contact_message: false } });
    expect(await json(prefs)).toMatchObject({ contact_message: false, order_paid: true, comments: true });
    const bad = await call("PUT", `/api/studios/${owner.studio.id}/alert-mail`, { jar: owner.jar, body: { spam: true } });
    expect(bad.status).toBe(400);
    await call("POST", "/contact", {
      host: studioHost(owner.studio.slug),
      ip: freshIp(),
      body: { name: "Quiet", email: "quiet@alerts.test", message: "Hello" },
    });

    const mia = await joinAsClient(owner.studio.slug, shop.galleryId, "Mia");
    for (const [i, text] of ["Warmer?", "Crop tighter", "Love it"].entries()) {
      const reply = await mia.intent({ type: "comment.add", id: intentId(), commentId: `comment-${i}`, photoId: shop.photoIds[0], text });
      expect(reply.type, JSON.stringify(reply)).toBe("ack");
    }
    const centre = () => call("GET", `/api/studios/${owner.studio.id}/notifications`, { jar: owner.jar }).then((r) => json<NotificationsResponse>(r));
    const digest = await until("the comment alert", centre, (c) => c.notifications.some((n) => n.kind === "comments" && n.count === 3));
    expect(digest.notifications.find((n) => n.kind === "comments")!.body).toBe(`Your clients left 3 new comments in alerts-prefs wedding.`);
    expect(digest.notifications.some((n) => n.kind === "contact_message")).toBe(true);

    // The hour is not over: the scheduled run mails nothing yet. An hour on, it mails the digest, once.
    const run = (at: number) => worker.scheduled(createScheduledController({ cron: "*/10 * * * *", scheduledTime: at }), env);
    await run(Date.now());
    expect((await sentTo(ownerEmail)).filter((m) => /New comments/.test(m.subject))).toHaveLength(0);
    const shard = env[`TENANT_DB_${owner.studio.shard}` as "TENANT_DB_0"];
    await shard.prepare("UPDATE notifications SET created_at = created_at - 3600000 WHERE tenant_id = ? AND kind = 'comments'").bind(owner.studio.id).run();
    await run(Date.now());
    await run(Date.now());
    const mails = await until(
      "the digest",
      () => sentTo(ownerEmail),
      (m) => m.some((x) => /New comments/.test(x.subject)),
    );
    expect(mails.filter((m) => /New comments/.test(m.subject))).toHaveLength(1);
    expect(mails.find((m) => /New comments/.test(m.subject))!.text).toContain("3 new comments");
    // The message the studio chose not to get by mail did not come.
    expect(mails.filter((m) => /New message/.test(m.subject))).toHaveLength(0);
  });

  it("a client's mail comes in the studio's name and colour, as HTML and text, and replies go to the studio", async () => {
    const shop = await openShop("mail-branding", 1);
    const { owner } = shop;
    const patched = await call("PATCH", `/api/studios/${owner.studio.id}`, {
      jar: owner.jar,
      body: { name: "Harbour & Pine", accentColor: "#8a3b12", contactEmail: "hello@harbour-pine.test" },
    });
    expect(patched.status).toBe(200);
    const maria = await client(shop);
    await maria.put({ lines: [{ itemId: shop.item("Web download"), photoIds: [shop.photoIds[0]] }] });
    expect((await maria.checkout({ ...buyer, email: "maria@mail-branding.test" })).status).toBe(201);
    const [mail] = await until(
      "the order mail",
      () => sentTo("maria@mail-branding.test"),
      (m) => m.length === 1,
    );
    expect(mail!.from).toBe('"Harbour & Pine via Loupe" <mail@loupe.photo>');
    expect(mail!.replyTo).toBe("hello@harbour-pine.test");
    expect(mail!.text).toContain("Thank you for your order");
    expect(mail!.html).toContain("border-top:4px solid #8a3b12");
    expect(mail!.html).toContain("Harbour &amp; Pine");
    expect(mail!.html).toContain("Thank you for your order");
    // The studio's own alert is from the studio's name too, with no reply address of a client's.
    const alert = (
      await until(
        "the studio's alert",
        () => sentTo("mail-branding@example.test"),
        (m) => m.some((x) => /waits for payment/.test(x.subject)),
      )
    ).find((x) => /waits/.test(x.subject))!;
    expect(alert.replyTo).toBeUndefined();
    // It links to where the order is marked paid.
    expect(alert.text).toContain("http://app.localhost:8787/#/store/orders");
  });
});
