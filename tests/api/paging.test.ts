// Every list a route answers is paged: a studio past 100 rows of each (D1 binds at most 100
// parameters a statement, so 100 is where a forgotten IN list used to answer 500) walks each list
// page by page and gets every row once, in order. A new GET route must be classified below, so a
// list cannot be added without this test walking it.
import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { directoryDb } from "../../worker/db/directory-db";
import { accounts, memberships, sessions } from "../../worker/db/directory-schema";
import { tenantDbById } from "../../worker/db/shards";
import type { TenantDb } from "../../worker/db/tenant-db";
import { attemptCounters, galleryDownloads, galleryVisitors, orders, photos, proofActivity, proofLists, proofPicks } from "../../worker/db/tenant-schema";
import { setAlertMail } from "../../worker/domain/alerts/centre";
import { createGallery } from "../../worker/domain/galleries/galleries";
import { ATTEMPTS } from "../../worker/domain/limits/attempts";
import { queueMail } from "../../worker/domain/mail/outbox";
import { createDiscount } from "../../worker/domain/store/discounts";
import { VISITOR_ORDERS_SHOWN, visitorOrders } from "../../worker/domain/store/orders";
import { receiveContact } from "../../worker/domain/studios/contact";
import { createInvite } from "../../worker/domain/studios/members";
import { call, json, signUp } from "../helpers/http";
import { registeredRoutes } from "../helpers/routes";

const ROWS = 130;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const pad = (i: number) => String(i).padStart(4, "0");

type Owner = Awaited<ReturnType<typeof signUp>>;
let owner: Owner;
let tdb: TenantDb;
let galleryId: string;

/** GET paths of the paged lists, relative to /api/studios/:id, with the key their items come under and the ids expected, in order. */
const LISTS: Record<string, { path: () => string; key: string; id: (item: Record<string, unknown>) => unknown; expected: () => Promise<unknown[]> }> = {
  "GET /app/api/studios/:studioId/galleries": {
    path: () => "/galleries",
    key: "galleries",
    id: (g) => g.title,
    // Newest first; the gallery made for the photos below is the newest of all.
    expected: async () => ["Photos", ...range(ROWS).map((i) => `Gallery ${pad(ROWS - 1 - i)}`)],
  },
  "GET /app/api/studios/:studioId/galleries/:galleryId/photos": {
    path: () => `/galleries/${galleryId}/photos`,
    key: "photos",
    id: (p) => p.filename,
    expected: async () => range(ROWS).map((i) => `IMG_${pad(i)}.jpg`),
  },
  "GET /app/api/studios/:studioId/galleries/:galleryId/activity": {
    path: () => `/galleries/${galleryId}/activity`,
    key: "activity",
    id: (a) => a.id,
    expected: async () => range(ROWS).map((i) => `act_${pad(ROWS - 1 - i)}`),
  },
  "GET /app/api/studios/:studioId/galleries/:galleryId/visitors": {
    path: () => `/galleries/${galleryId}/visitors`,
    key: "visitors",
    id: (v) => `${v.id} ${v.favourites}`,
    // Newest first; each picked the two photos of their list.
    expected: async () => range(ROWS).map((i) => `v${ROWS - 1 - i} 2`),
  },
  "GET /app/api/studios/:studioId/galleries/:galleryId/downloads": {
    path: () => `/galleries/${galleryId}/downloads`,
    key: "downloads",
    id: (d) => `${d.id} ${d.parts}`,
    expected: async () => range(ROWS).map((i) => `dl_${pad(ROWS - 1 - i)} ${((ROWS - 1 - i) % 3) + 1}`),
  },
  "GET /app/api/studios/:studioId/galleries/:galleryId/selections": {
    path: () => `/galleries/${galleryId}/selections`,
    key: "lists",
    id: (l) => `${l.id}: ${(l.filenames as string[]).join(", ")}`,
    // The last list's second photo is the first of the gallery, so it comes first.
    expected: async () => range(ROWS).map((i) => `list_${pad(i)}: ${(i === ROWS - 1 ? [0, i] : [i, i + 1]).map((n) => `IMG_${pad(n)}.jpg`).join(", ")}`),
  },
  "GET /app/api/studios/:studioId/store/orders": {
    path: () => "/store/orders",
    key: "orders",
    id: (o) => o.number,
    expected: async () => range(ROWS).map((i) => 1000 + ROWS - i),
  },
  "GET /app/api/studios/:studioId/store/discounts": {
    path: () => "/store/discounts",
    key: "discounts",
    id: (d) => d.code,
    expected: async () => range(ROWS).map((i) => `CODE${pad(i)}`),
  },
  "GET /app/api/studios/:studioId/store/mail": {
    path: () => "/store/mail",
    key: "mail",
    id: (m) => m.subject,
    expected: async () => range(ROWS).map((i) => `Mail ${pad(ROWS - 1 - i)}`),
  },
  "GET /app/api/studios/:studioId/messages": {
    path: () => "/messages",
    key: "messages",
    id: (m) => m.message,
    expected: async () => range(ROWS).map((i) => `Message ${pad(ROWS - 1 - i)}`),
  },
  "GET /app/api/studios/:studioId/notifications": {
    path: () => "/notifications",
    key: "notifications",
    // Every website message raised an alert.
    id: (n) => n.body,
    expected: async () => range(ROWS).map((i) => `Client (client@paging.test) wrote through your website: "Message ${pad(ROWS - 1 - i)}"`),
  },
  "GET /app/api/studios/:studioId/members": {
    path: () => "/members",
    key: "members",
    id: (m) => m.email,
    expected: async () => [owner.email, ...range(ROWS).map((i) => `staff${pad(i)}@paging.test`)],
  },
  "GET /app/api/me/sessions": {
    path: () => "/api/me/sessions",
    key: "sessions",
    id: (s) => s.id,
    // Newest first: the seeded sign-ins, then the one the owner signed up with.
    expected: async () => {
      const own = await env.DIRECTORY.prepare("SELECT id FROM sessions WHERE account_id = ? AND id NOT LIKE 's_paging_%'")
        .bind(owner.account.id)
        .all<{ id: string }>();
      return [...range(ROWS).map((i) => `s_paging_${pad(ROWS - 1 - i)}`), ...own.results.map((r) => r.id)];
    },
  },
  "GET /app/api/studios/:studioId/invites": {
    path: () => "/invites",
    key: "invites",
    id: (i) => i.email,
    expected: async () => range(ROWS).map((i) => `invitee${pad(i)}@paging.test`),
  },
};

// GET routes on the dashboard API that answer one thing, not a list (or a list bounded by what
// they are about, said here).
const NOT_LISTS = new Set([
  "GET /app/api/me", // the caller's own studios: a handful
  "GET /app/api/me/security",
  "GET /app/api/studios/:studioId/alert-mail",
  "GET /app/api/studios/:studioId/storage",
  "GET /app/api/studios/:studioId/domains", // at most DOMAIN_LIMIT (3) per studio
  "GET /app/api/studios/:studioId/brand/:kind", // one image
  "GET /app/api/studios/:studioId/gallery-defaults",
  "GET /app/api/studios/:studioId/store/mail/previews", // one sample of each kind of mail
  "GET /app/api/studios/:studioId",
  "GET /app/api/studios/:studioId/galleries/:galleryId",
  "GET /app/api/studios/:studioId/galleries/:galleryId/photos/:photoId/original/parts", // at most 10,000 part numbers of one upload
  "GET /app/api/studios/:studioId/galleries/:galleryId/photos/:photoId/:file{(thumb|preview)\\.jpg}",
  "GET /app/api/studios/:studioId/galleries/:galleryId/room",
  "GET /app/api/studios/:studioId/galleries/:galleryId/selections.csv", // a file, streamed whole on purpose
  "GET /app/api/studios/:studioId/store/price-sheets", // a studio has a few sheets
  "GET /app/api/studios/:studioId/store/price-sheets/:sheetId",
  "GET /app/api/studios/:studioId/store/orders/:orderId",
  "GET /app/api/studios/:studioId/store/payments",
  "GET /app/api/studios/:studioId/store/lab", // the studio's one lab connection
  "GET /app/api/studios/:studioId/store/price-sheets/:sheetId/lab-products", // at most the sheet's 300 items
  "GET /app/api/studios/:studioId/store/orders/:orderId/lab", // one order's lab lines
]);

const get = (path: string) => call("GET", path.startsWith("/api/") ? path : `/api/studios/${owner.studio.id}${path}`, { jar: owner.jar });

async function walk(path: string, key: string, limit: number) {
  const seen: Record<string, unknown>[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = path.includes("?") ? "&" : "?";
    const res = await get(`${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    expect(res.status, `${path}: ${await res.clone().text()}`).toBe(200);
    const body = await json(res);
    expect(body[key].length, `${path} page ${pages + 1}`).toBeLessThanOrEqual(limit);
    seen.push(...body[key]);
    cursor = body.next;
    pages += 1;
  } while (cursor && pages < 50);
  return { seen, pages };
}

// A millisecond apart, as people's clicks are: rows of one millisecond are ordered by their random ids.
const tick = () => new Promise((r) => setTimeout(r, 2));

async function seed() {
  for (const i of range(ROWS)) await createGallery(tdb, env.PASSWORD_PEPPER, { title: `Gallery ${pad(i)}`, clientName: i === 7 ? "Ada Lovelace" : "" });
  galleryId = (await createGallery(tdb, env.PASSWORD_PEPPER, { title: "Photos" })).id;
  const t0 = Date.now() - 1_000_000;
  const photoRows = range(ROWS).map((i) => ({
    id: `ph_${pad(i)}`,
    galleryId,
    filename: `IMG_${pad(i)}.jpg`,
    contentType: "image/jpeg",
    size: 1000,
    // Ties on position are ordered by id: half the photos share one.
    position: i < ROWS / 2 ? 1 : i,
  }));
  const activityRows = range(ROWS).map((i) => ({
    galleryId,
    id: `act_${pad(i)}`,
    type: "pick",
    actorId: "v1",
    actorName: "Mia",
    actorRole: "client" as const,
    photoId: `ph_${pad(i)}`,
    detail: {},
    at: t0 + Math.floor(i / 10), // ten to a millisecond
  }));
  const orderRows = range(ROWS).map((i) => ({
    id: `ord_${pad(i)}`,
    number: 1001 + i,
    galleryId,
    visitorId: "v1",
    customerName: "Mia",
    customerEmail: i % 2 ? "mia@paging.test" : `buyer${pad(i)}@paging.test`,
    paymentMethod: "offline" as const,
    currency: "usd",
    lines: [],
    subtotal: 100,
    total: 100,
    status: i % 3 ? ("pending" as const) : ("paid" as const),
    createdAt: t0 + Math.floor(i / 10),
  }));
  // Every list holds two photos, in gallery order: its own and the next one's.
  const listRows = range(ROWS).map((i) => ({
    galleryId,
    id: `list_${pad(i)}`,
    name: "Favourites",
    ownerId: `v${i}`,
    ownerName: `Guest ${i}`,
    createdAt: t0 + Math.floor(i / 10),
  }));
  const pickRows = range(ROWS).flatMap((i) =>
    [i, (i + 1) % ROWS].map((n) => ({ galleryId, listId: `list_${pad(i)}`, photoId: `ph_${pad(n)}`, pickedBy: `v${i}`, pickedAt: t0 })),
  );
  const visitorRows = range(ROWS).map((i) => ({
    galleryId,
    id: `v${i}`,
    name: `Guest ${i}`,
    email: `guest${i}@paging.test`,
    createdAt: t0 + Math.floor(i / 10),
  }));
  const downloadRows = range(ROWS).map((i) => ({
    galleryId,
    id: `dl_${pad(i)}`,
    visitorId: `v${i}`,
    scope: "gallery" as const,
    label: "Photos",
    size: "web" as const,
    photoCount: 1,
    bytes: 1000,
    parts: range((i % 3) + 1).map(() => [`ph_${pad(i)}`]),
    createdAt: t0 + Math.floor(i / 10),
  }));
  const inserts = [
    ...tdb.insertRows(galleryVisitors, visitorRows),
    ...tdb.insertRows(galleryDownloads, downloadRows),
    ...tdb.insertRows(photos, photoRows),
    ...tdb.insertRows(proofActivity, activityRows),
    ...tdb.insertRows(orders, orderRows),
    ...tdb.insertRows(proofLists, listRows),
    ...tdb.insertRows(proofPicks, pickRows),
  ];
  await tdb.batch(inserts as [(typeof inserts)[number], ...typeof inserts]);
  // Website messages raise alerts (the notification list below); their mails would crowd the mailbox.
  await setAlertMail(tdb, { contact_message: false });
  for (const i of range(ROWS)) {
    await createDiscount(tdb, { code: `CODE${pad(i)}`, kind: "percent", value: 10, minSubtotal: 0, maxUses: null, startsAt: null, endsAt: null });
    // More messages than an hour's budget takes: as if they came over several hours.
    if (i % ATTEMPTS.contact.limit === 0) await tdb.delete(attemptCounters, eq(attemptCounters.scope, "contact"));
    await receiveContact(tdb, { name: "Client", email: "client@paging.test", message: `Message ${pad(i)}` });
    await tick();
  }
  for (const i of range(ROWS))
    await queueMail(tdb, { key: `paging:${i}`, kind: "order_confirmation", to: "x@paging.test", subject: `Mail ${pad(i)}`, text: "…" });
  const dir = directoryDb(env);
  // The owner signed in from many browsers, a millisecond apart, after signing up; 20 rows a statement.
  const signIns = range(ROWS).map((i) => ({
    id: `s_paging_${pad(i)}`,
    accountId: owner.account.id,
    userAgent: `Browser ${i}`,
    createdAt: Date.now() + 1000 + i,
  }));
  for (let i = 0; i < ROWS; i += 20) await dir.insert(sessions).values(signIns.slice(i, i + 20));
  for (const i of range(ROWS)) {
    const id = `acct_paging_${pad(i)}`;
    await dir.batch([
      dir.insert(accounts).values({ id, email: `staff${pad(i)}@paging.test`, name: `Staff ${i}`, passwordHash: "x" }),
      dir.insert(memberships).values({ tenantId: owner.studio.id, accountId: id, role: "staff", createdAt: Date.now() + 1000 + i }),
    ]);
    await createInvite(dir, owner.studio.id, owner.account.id, { email: `invitee${pad(i)}@paging.test`, role: "staff" });
    await tick();
  }
}

describe("every list is paged", () => {
  beforeAll(async () => {
    owner = await signUp("paging-volume");
    tdb = (await tenantDbById(env, owner.studio.id))!;
    await seed();
  }, 120_000);

  it("classifies every GET route of the dashboard API as a paged list or not a list", () => {
    const gets = registeredRoutes().filter((r) => r.startsWith("GET /app/api/"));
    const unclassified = gets.filter((r) => !(r in LISTS) && !NOT_LISTS.has(r));
    expect(unclassified, "page these lists and add them to LISTS, or say in NOT_LISTS why they are not lists").toEqual([]);
  });

  for (const [route, list] of Object.entries(LISTS)) {
    it(`${route}: past ${ROWS} rows, every row once, in order, a page at a time`, async () => {
      const expected = await list.expected();
      const first = await json(await get(list.path()));
      expect(first[list.key]).toHaveLength(50);
      expect(first.next).toEqual(expect.any(String));
      const { seen, pages } = await walk(list.path(), list.key, 40);
      expect(seen.map(list.id)).toEqual(expected);
      expect(pages).toBe(Math.ceil(expected.length / 40));
      const whole = await json(await get(`${list.path()}?limit=200`));
      expect(whole[list.key].map(list.id)).toEqual(expected);
      expect(whole.next).toBeNull();
    });
  }

  it("refuses a limit out of bounds and a cursor it did not give, by name, without a 500", async () => {
    for (const [path, field] of [
      ["/galleries?limit=0", "limit"],
      ["/galleries?limit=201", "limit"],
      ["/store/orders?limit=ten", "limit"],
      ["/galleries?cursor=not-a-cursor", "cursor"],
      [`/galleries?cursor=${btoa(JSON.stringify([1]))}`, "cursor"],
      [`/messages?cursor=${btoa(JSON.stringify([{ a: 1 }, "x"]))}`, "cursor"],
    ] as const) {
      const res = await get(path);
      expect(res.status, path).toBe(400);
      expect((await json(res)).error.message, path).toMatch(new RegExp(`(^|— )${field}: `));
    }
  });

  it("finds galleries by title or client, orders by number or email, and filters orders by status", async () => {
    const byTitle = await json(await get("/galleries?q=gallery%200042"));
    expect(byTitle.galleries.map((g: { title: string }) => g.title)).toEqual(["Gallery 0042"]);
    const byClient = await json(await get("/galleries?q=lovelace"));
    expect(byClient.galleries.map((g: { title: string; client: { name: string } }) => [g.title, g.client.name])).toEqual([["Gallery 0007", "Ada Lovelace"]]);
    // % and _ are literal characters in a search, not wildcards.
    expect((await json(await get("/galleries?q=%25"))).galleries).toEqual([]);
    const byNumber = await json(await get("/store/orders?q=%231042"));
    expect(byNumber.orders.map((o: { number: number }) => o.number)).toEqual([1042]);
    const { seen } = await walk("/store/orders?q=mia%40paging", "orders", 20);
    expect(seen).toHaveLength(ROWS / 2);
    const paid = await walk("/store/orders?status=paid", "orders", 20);
    expect(paid.seen.map((o) => o.number)).toEqual(
      range(ROWS)
        .filter((i) => i % 3 === 0)
        .map((i) => 1001 + i)
        .reverse(),
    );
  });

  it("counts unread messages up to a cap, and marks a page of them read in one call", async () => {
    const inbox = await json(await get("/messages?limit=5"));
    expect(inbox.unread).toBe(100);
    const ids = inbox.messages.map((m: { id: string }) => m.id);
    const read = await call("POST", `/api/studios/${owner.studio.id}/messages/read`, { jar: owner.jar, body: { ids } });
    expect(read.status).toBe(204);
    const again = await json(await get("/messages?limit=5"));
    expect(again.messages.every((m: { readAt: number | null }) => m.readAt !== null)).toBe(true);
    const tooMany = await call("POST", `/api/studios/${owner.studio.id}/messages/read`, { jar: owner.jar, body: { ids: range(201).map(String) } });
    expect(tooMany.status).toBe(400);
    expect((await json(tooMany)).error.message).toMatch(/— ids: /);
  });

  it("saves a price sheet down from 150 items to one, again and again, and sells only what is left", async () => {
    const sheets = `/api/studios/${owner.studio.id}/store/price-sheets`;
    const items = range(150).map((i) => ({ kind: "print", name: `Print ${i}`, size: `${i}x${i}`, paper: "luster", unitAmount: 100 + i }));
    const made = await call("POST", sheets, { jar: owner.jar, body: { name: "Everything", currency: "usd", items } });
    expect(made.status, await made.clone().text()).toBe(201);
    const sheet = (await json(made)).priceSheet;
    const { id, kind, name, size, paper, unitAmount } = sheet.items[0];
    const keep = { id, kind, name, size, paper, unitAmount };
    for (const round of range(5)) {
      const saved = await call("PUT", `${sheets}/${sheet.id}`, { jar: owner.jar, body: { name: `Just one ${round}`, currency: "usd", items: [keep] } });
      expect(saved.status, await saved.clone().text()).toBe(200);
      expect((await json(saved)).priceSheet.items.map((i: { id: string }) => i.id)).toEqual([keep.id]);
    }
  });

  it("shows a client their latest orders in the shop, not all of them", async () => {
    // All 130 orders above are one visitor's, ten to a millisecond: the latest 20 are the last two milliseconds'.
    const shown = await visitorOrders(tdb, galleryId, "v1");
    expect(shown.map((o) => o.number).sort((a, b) => a - b)).toEqual(range(VISITOR_ORDERS_SHOWN).map((i) => 1001 + ROWS - VISITOR_ORDERS_SHOWN + i));
    expect(shown.map((o) => o.createdAt)).toEqual(shown.map((o) => o.createdAt).sort((a, b) => b - a));
  });
});
