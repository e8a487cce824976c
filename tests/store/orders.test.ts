// Orders without Stripe (offline payment) from placing to delivery: the studio marks an order
// paid, the client gets a download link by mail, the link streams the files and a zip, and it
// refuses when expired, forged, another studio's or over its limit.
import { env } from "cloudflare:test";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { ATTEMPTS } from "../../worker/domain/limits/attempts";
import { call, json, studioHost } from "../helpers/http";
import { zipNames } from "../helpers/zip";
import { buyer, client, openShop, rows, type Shop, storePath } from "./helpers";

async function paidDigitalOrder(slug: string) {
  const shop = await openShop(slug, 3);
  const maria = await client(shop);
  const put = await maria.put({
    lines: [
      { itemId: shop.item("Original file"), photoIds: [shop.photoIds[0]] },
      { itemId: shop.item("10 digitals"), photoIds: [shop.photoIds[1], shop.photoIds[2]] },
    ],
  });
  expect(put.status).toBe(200);
  const placed = await json(await maria.checkout(buyer));
  const orderPath = `${storePath(shop.owner)}/orders/${placed.order.id}`;
  const paid = await call("POST", `${orderPath}/mark-paid`, { jar: shop.owner.jar });
  expect(paid.status, await paid.clone().text()).toBe(200);
  const mail = await json(await call("GET", `${storePath(shop.owner)}/mail`, { jar: shop.owner.jar }));
  const downloads = mail.mail.find((m: { kind: string }) => m.kind === "downloads_ready");
  const link = new URL(/https?:\/\/\S+\/o\/\S+/.exec(downloads.text)![0]);
  return { shop, maria, order: placed.order, orderPath, mail: mail.mail, link };
}

const get = (shop: Shop, path: string) => call("GET", path, { host: studioHost(shop.owner.studio.slug) });

describe("an offline order", () => {
  it("is placed pending with a confirmation, and paid by the studio it brings a download link", async () => {
    const { shop, order, orderPath, mail, link } = await paidDigitalOrder("order-offline");
    expect(order).toMatchObject({ number: 1001, status: "pending", paymentMethod: "offline", subtotal: 6500, total: 6500 + Math.round(6500 * 0.0825) });
    // The buyer's mail; the studio's own alerts (waiting, paid) are tests/store/alerts.test.ts's.
    const toBuyer = mail.filter((m: { kind: string }) => m.kind !== "studio_alert");
    expect(toBuyer.map((m: { kind: string; subject: string }) => [m.kind, m.subject]).sort()).toEqual([
      ["downloads_ready", `Studio order-offline: your downloads for order #1001`],
      ["order_confirmation", "Studio order-offline: order #1001 confirmed"],
      ["order_confirmation", "Studio order-offline: order #1001 received"],
    ]);
    expect(toBuyer.every((m: { to: string }) => m.to === buyer.email)).toBe(true);
    expect((await json(await call("GET", orderPath, { jar: shop.owner.jar }))).order.status).toBe("paid");
    // Marking it paid again changes nothing and sends nothing more.
    const again = await call("POST", `${orderPath}/mark-paid`, { jar: shop.owner.jar });
    expect(again.status).toBe(409);
    expect((await json(again)).error.message).toBe("Order #1001 is paid; marking it paid needs it to be pending.");
    expect(await rows(shop, "SELECT count(*) AS n FROM email_outbox WHERE tenant_id = ? AND kind <> 'studio_alert'", shop.owner.studio.id)).toEqual([{ n: 3 }]);

    expect(link.host).toBe(studioHost(shop.owner.studio.slug));
    const page = await get(shop, link.pathname);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Download all (3 files, zip)");
    expect(html).toContain("10 of 10 downloads left");
    const zip = await get(shop, `${link.pathname}/all.zip`);
    expect(zip.status).toBe(200);
    expect(zip.headers.get("content-type")).toBe("application/zip");
    expect(zip.headers.get("content-disposition")).toBe('attachment; filename="order-1001.zip"');
    const names = zipNames(new Uint8Array(await zip.arrayBuffer()));
    // The fixture is small enough to be its own web-size master, so its web file is itself.
    expect(names.sort()).toEqual(["IMG_100.jpg", "IMG_101.jpg", "IMG_102.jpg"]);
    const one = await get(shop, `${link.pathname}/f/1`);
    expect(one.status).toBe(200);
    expect(one.headers.get("content-disposition")).toContain("IMG_101.jpg");
    expect((await one.arrayBuffer()).byteLength).toBeGreaterThan(1000);
  });

  it("past the gallery's hourly confirmations an offline order is still placed and shown, but not mailed", async () => {
    const shop = await openShop("order-mail-budget", 1);
    // The hour's confirmations already spent, as a script typing address after address would.
    const hour = Math.floor(Date.now() / ATTEMPTS.orderMails.windowMs) * ATTEMPTS.orderMails.windowMs;
    await rows(
      shop,
      "INSERT INTO attempt_counters (tenant_id, scope, subject, window_start, count) VALUES (?, 'orderMails', ?, ?, ?)",
      shop.owner.studio.id,
      shop.galleryId,
      hour,
      ATTEMPTS.orderMails.limit,
    );
    const ana = await client(shop, "Ana Ruiz");
    expect((await ana.put({ lines: [{ itemId: shop.item("Web download"), photoIds: [shop.photoIds[0]] }] })).status).toBe(200);
    const placed = await ana.checkout({ name: "Ana Ruiz", email: "ana@example.test" });
    expect(placed.status, await placed.clone().text()).toBe(201);
    expect((await json(placed)).order).toMatchObject({ status: "pending", paymentMethod: "offline" });
    const kinds = await rows<{ kind: string; to: string }>(shop, 'SELECT kind, "to" FROM email_outbox WHERE tenant_id = ?', shop.owner.studio.id);
    expect(kinds.filter((m) => m.to === "ana@example.test")).toEqual([]);
    // The studio still hears of it.
    const notes = (await json(await call("GET", `/api/studios/${shop.owner.studio.id}/notifications`, { jar: shop.owner.jar }))).notifications;
    expect(notes.map((n: { title: string }) => n.title)).toContain("Order #1001 waits for payment");
  });

  it("download links refuse when forged, another studio's, expired or used up", async () => {
    const { shop, order, link } = await paidDigitalOrder("order-links");
    const other = await openShop("order-links-other", 1);
    const token = link.pathname.split("/")[2]!;
    const onOther = await call("GET", `/o/${token}`, { host: studioHost(other.owner.studio.slug) });
    expect(onOther.status).toBe(404);
    const forged = await new SignJWT({ tid: shop.owner.studio.id, oid: order.id })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer("loupe")
      .setAudience("loupe:order-download")
      .setSubject(`dg_${order.id}`)
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode("not-the-secret-0123456789abcdef0123"));
    expect((await get(shop, `/o/${forged}`)).status).toBe(404);
    const stale = await new SignJWT({ tid: shop.owner.studio.id, oid: order.id })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer("loupe")
      .setAudience("loupe:order-download")
      .setSubject(`dg_${order.id}`)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(env.JWT_SECRET));
    const expired = await get(shop, `/o/${stale}/all.zip`);
    expect(expired.status).toBe(403);
    expect((await json(expired)).error.code).toBe("download_expired");

    for (let i = 0; i < 10; i++) expect((await get(shop, `${link.pathname}/f/0`)).status, `download ${i + 1}`).toBe(200);
    const over = await get(shop, `${link.pathname}/f/0`);
    expect(over.status).toBe(403);
    expect((await json(over)).error).toMatchObject({ code: "download_limit_reached", message: expect.stringContaining("used 10 times") });
    expect(await rows(shop, "SELECT downloads FROM download_grants WHERE tenant_id = ?", shop.owner.studio.id)).toEqual([{ downloads: 10 }]);

    // The grant's own expiry closes the link too, whatever the token says.
    await rows(shop, "UPDATE download_grants SET expires_at = ? WHERE tenant_id = ?", Date.now() - 1000, shop.owner.studio.id);
    expect((await get(shop, link.pathname)).status).toBe(403);
  });

  it("are renewed by the studio: the count starts again, 30 more days, and a new link by mail", async () => {
    const { shop, maria, orderPath, link } = await paidDigitalOrder("order-renew");
    for (let i = 0; i < 10; i++) await get(shop, `${link.pathname}/f/0`);
    await rows(shop, "UPDATE download_grants SET expires_at = ? WHERE tenant_id = ?", Date.now() - 1000, shop.owner.studio.id);
    expect((await json(await call("GET", orderPath, { jar: shop.owner.jar }))).downloads).toMatchObject({ used: 10, max: 10 });

    const renewed = await call("POST", `${orderPath}/downloads/renew`, { jar: shop.owner.jar });
    expect(renewed.status, await renewed.clone().text()).toBe(200);
    const { downloads } = await json(renewed);
    expect(downloads).toMatchObject({ used: 0, max: 10 });
    expect(downloads.expiresAt).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    const mail = (await json(await call("GET", `${storePath(shop.owner)}/mail`, { jar: shop.owner.jar }))).mail.filter(
      (m: { kind: string }) => m.kind === "downloads_ready",
    );
    expect(mail).toHaveLength(2);
    // The newest mail carries a link signed with the new expiry. (Renewed in the same second as the
    // payment, that link reads the same as the first: its expiry is all that changes.)
    const fresh = new URL(/https?:\/\/\S+\/o\/\S+/.exec(mail[0].text)![0]);
    expect(mail[0].text).toContain(new Date(downloads.expiresAt).toUTCString());
    const claims = JSON.parse(atob(fresh.pathname.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/")));
    expect(claims.exp).toBe(Math.floor(downloads.expiresAt / 1000));
    expect((await get(shop, `${fresh.pathname}/f/0`)).status).toBe(200);
    expect((await json(await call("GET", orderPath, { jar: shop.owner.jar }))).downloads).toMatchObject({ used: 1, max: 10 });

    // An order that is not paid, or has nothing to download, is refused by name and mails nothing.
    await maria.put({ lines: [{ itemId: shop.item("Original file"), photoIds: [shop.photoIds[2]] }] });
    const pending = (await json(await maria.checkout(buyer))).order;
    const refused = await call("POST", `${storePath(shop.owner)}/orders/${pending.id}/downloads/renew`, { jar: shop.owner.jar });
    expect(refused.status).toBe(409);
    expect((await json(refused)).error.message).toBe(`Order #${pending.number} is pending; only a paid order's downloads can be renewed.`);
    expect(await rows(shop, "SELECT count(*) AS n FROM email_outbox WHERE tenant_id = ? AND kind = 'downloads_ready'", shop.owner.studio.id)).toEqual([
      { n: 2 },
    ]);
  });

  it("moves forward only: fulfilled, shipped with tracking, completed; an unpaid order cancels and gives its code back", async () => {
    const shop = await openShop("order-moves", 1);
    await call("POST", `${storePath(shop.owner)}/discounts`, { jar: shop.owner.jar, body: { code: "ONCE", kind: "fixed", value: 100, maxUses: 1 } });
    const maria = await client(shop);
    await maria.put({
      lines: [{ itemId: shop.item("Canvas 16×20"), photoIds: [shop.photoIds[0]] }],
      shippingMethodId: shop.ship("Standard"),
      discountCode: "ONCE",
    });
    const first = (
      await json(await maria.checkout({ ...buyer, shippingAddress: { name: "M", line1: "1 Main", city: "Bath", postalCode: "BA1", country: "GB" } }))
    ).order;
    const path = (id: string, action: string) => `${storePath(shop.owner)}/orders/${id}/${action}`;
    expect((await call("POST", path(first.id, "ship"), { jar: shop.owner.jar, body: { trackingNumber: "1Z999" } })).status).toBe(409);
    expect((await call("POST", path(first.id, "cancel"), { jar: shop.owner.jar })).status).toBe(200);
    expect(await rows(shop, "SELECT uses FROM discount_codes WHERE tenant_id = ?", shop.owner.studio.id)).toEqual([{ uses: 0 }]);
    expect((await call("POST", path(first.id, "mark-paid"), { jar: shop.owner.jar })).status).toBe(409);

    await maria.put({
      lines: [{ itemId: shop.item("Canvas 16×20"), photoIds: [shop.photoIds[0]] }],
      shippingMethodId: shop.ship("Standard"),
      discountCode: "ONCE",
    });
    const second = (
      await json(await maria.checkout({ ...buyer, shippingAddress: { name: "M", line1: "1 Main", city: "Bath", postalCode: "BA1", country: "GB" } }))
    ).order;
    expect(second).toMatchObject({ number: 1002, discount: 100 });
    expect((await call("POST", path(second.id, "mark-paid"), { jar: shop.owner.jar })).status).toBe(200);
    const shipped = await call("POST", path(second.id, "ship"), { jar: shop.owner.jar, body: { trackingNumber: "1Z999AA10123456784" } });
    expect((await json(shipped)).order).toMatchObject({ status: "shipped", trackingNumber: "1Z999AA10123456784" });
    expect((await call("POST", path(second.id, "cancel"), { jar: shop.owner.jar })).status).toBe(409);
    expect((await json(await call("POST", path(second.id, "complete"), { jar: shop.owner.jar }))).order.status).toBe("completed");
    // A partial refund, then the rest: refunded, and no more than was paid.
    const part = await call("POST", path(second.id, "refund"), { jar: shop.owner.jar, body: { amount: 5000 } });
    expect((await json(part)).order).toMatchObject({ status: "completed", refunded: 5000 });
    const tooMuch = await call("POST", path(second.id, "refund"), { jar: shop.owner.jar, body: { amount: second.total } });
    expect((await json(tooMuch)).error.message).toMatch(/^amount: at most \$\d+\.\d\d is left to refund$/);
    const rest = await call("POST", path(second.id, "refund"), { jar: shop.owner.jar, body: {} });
    expect((await json(rest)).order).toMatchObject({ status: "refunded", refunded: second.total, refundable: 0 });
    const list = await json(await call("GET", `${storePath(shop.owner)}/orders?status=refunded`, { jar: shop.owner.jar }));
    expect(list.orders.map((o: { number: number }) => o.number)).toEqual([1002]);
    const maria2 = await maria.store();
    expect(maria2.orders.map((o: { number: number; status: string }) => [o.number, o.status])).toEqual([
      [1002, "refunded"],
      [1001, "cancelled"],
    ]);
  });
});
