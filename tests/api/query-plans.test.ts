// The hot queries, as the domain runs them, read through SQLite's EXPLAIN QUERY PLAN on the real
// local D1: each walks an index that leads with tenant_id (a studio's rows only), none scans a
// table, and none sorts in a temporary b-tree (a list comes off its index already in order).
import { env } from "cloudflare:test";
import type { Logger } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { MirrorEntry } from "../../party/outbox";
import { directoryDb } from "../../worker/db/directory-db";
import { encodeCursor } from "../../worker/db/paging";
import { closingGalleries, forgetActivity, stalledLabOrders, stalledMail } from "../../worker/db/platform-work";
import { shardBinding } from "../../worker/db/shards";
import { TenantDb } from "../../worker/db/tenant-db";
import { clientGalleryView, listedGalleries } from "../../worker/domain/galleries/client-view";
import { listGalleries } from "../../worker/domain/galleries/galleries";
import { galleryView } from "../../worker/domain/galleries/view";
import { listMail } from "../../worker/domain/mail/outbox";
import { listPhotos } from "../../worker/domain/photos/photos";
import { galleryActivity } from "../../worker/domain/proofing/activity";
import { gallerySelections } from "../../worker/domain/proofing/selections";
import { listDiscounts } from "../../worker/domain/store/discounts";
import { listOrders, visitorOrders } from "../../worker/domain/store/orders";
import { listMessages } from "../../worker/domain/studios/contact";
import { studioByDomain, studioBySlug } from "../../worker/domain/studios/directory";
import { listInvites, listMembers } from "../../worker/domain/studios/members";
import { roomGallery, roomHasPhoto, roomPhotoIds } from "../../worker/rooms/gallery-room";
import { mirrorEntries } from "../../worker/rooms/mirror";
import { fixture, newGallery, uploadOriginal } from "../helpers/galleries";
import { signUp } from "../helpers/http";

type Statement = { sql: string; params: unknown[] };
type PlanRow = { id: number; parent: number; detail: string };

/** A TenantDb (or directory) that records every statement it runs. */
function recording() {
  const seen: Statement[] = [];
  const logger: Logger = { logQuery: (sql, params) => void seen.push({ sql, params }) };
  return { seen, logger };
}

async function plan(d1: D1Database, s: Statement): Promise<string[]> {
  const { results } = await d1
    .prepare(`EXPLAIN QUERY PLAN ${s.sql}`)
    .bind(...s.params)
    .all<PlanRow>();
  return results.map((r) => r.detail);
}

async function leadingColumn(d1: D1Database, index: string): Promise<string | undefined> {
  const { results } = await d1.prepare(`SELECT name FROM pragma_index_info(?) ORDER BY seqno LIMIT 1`).bind(index).all<{ name: string }>();
  return results[0]?.name;
}

/** Problems with one statement's plan; none when it is as the file's header says. */
async function problems(d1: D1Database, s: Statement, opts: { tenantScoped: boolean; sorted: boolean }): Promise<string[]> {
  if (/^\s*insert\b/i.test(s.sql) && !/\bselect\b/i.test(s.sql)) return [];
  const out: string[] = [];
  for (const line of await plan(d1, s)) {
    if (/^SCAN (?!CONSTANT ROW)/.test(line)) out.push(`scans: ${line}`);
    if (opts.sorted && /TEMP B-TREE/.test(line)) out.push(`sorts: ${line}`);
    const index = /^SEARCH \S+ USING (?:COVERING )?INDEX (\S+)/.exec(line)?.[1];
    if (opts.tenantScoped && index && (await leadingColumn(d1, index)) !== "tenant_id") out.push(`index ${index} does not lead with tenant_id: ${line}`);
    if (opts.tenantScoped && /USING (INTEGER )?PRIMARY KEY|USING ROWID/.test(line)) out.push(`not by tenant: ${line}`);
  }
  return out.map((p) => `${p}\n    in ${s.sql}`);
}

let owner: Awaited<ReturnType<typeof signUp>>;
let galleryId: string;
let photoId: string;

describe("hot queries walk an index that leads with tenant_id", () => {
  beforeAll(async () => {
    owner = await signUp("query-plans");
    galleryId = (await newGallery(owner, { visibility: "public", sets: ["Ceremony"] })).id;
    photoId = await uploadOriginal(owner, galleryId, "one.jpg", fixture("camera.jpg"));
  }, 60_000);

  const tenantCases: [string, (tdb: TenantDb) => Promise<unknown>, { sorted: boolean }][] = [
    [
      "gallery list (first and a deep page)",
      async (t) => listGalleries(t, { cursor: (await listGalleries(t, { limit: 1 })).next ?? undefined, limit: 1 }),
      { sorted: true },
    ],
    ["the studio's home page, a later page", (t) => listedGalleries(t, encodeCursor([1e9, "g_zzzz"])), { sorted: true }],
    ["gallery page for a client", (t) => clientGalleryView(t, env.JWT_SECRET, galleryId, undefined), { sorted: true }],
    ["gallery in the dashboard", (t) => galleryView(t, galleryId), { sorted: true }],
    [
      "photo grid, a deep page",
      async (t) => listPhotos(t, galleryId, { limit: 1, cursor: (await listPhotos(t, galleryId, { limit: 1 })).next ?? undefined }),
      { sorted: true },
    ],
    ["room load", (t) => roomGallery(t, galleryId), { sorted: true }],
    ["room reads its photo ids (a later page)", (t) => roomPhotoIds(t, galleryId, encodeCursor([0, ""])), { sorted: true }],
    ["room checks a photo", (t) => roomHasPhoto(t, galleryId, photoId), { sorted: true }],
    ["orders by status", (t) => listOrders(t, { status: "paid", limit: 50 }), { sorted: true }],
    ["orders of a gallery", (t) => listOrders(t, { galleryId, limit: 50 }), { sorted: true }],
    ["orders by number", (t) => listOrders(t, { q: "1001", limit: 50 }), { sorted: false }],
    ["orders by email", (t) => listOrders(t, { q: "mia@", limit: 50 }), { sorted: false }],
    ["a client's own orders in the shop", (t) => visitorOrders(t, galleryId, "v_someone"), { sorted: true }],
    ["activity by gallery", (t) => galleryActivity(t, galleryId, { limit: 50 }), { sorted: true }],
    ["selections, a page of lists with their photos", (t) => gallerySelections(t, galleryId, { limit: 50 }), { sorted: true }],
    ["messages and the unread count", (t) => listMessages(t, { limit: 50 }), { sorted: true }],
    ["mail", (t) => listMail(t, { limit: 50 }), { sorted: true }],
    ["discounts", (t) => listDiscounts(t, { limit: 50 }), { sorted: true }],
    [
      "mirror of picks, comments and lists",
      (t) => {
        const actor = { id: "v1", name: "Mia", role: "client" as const };
        const list = { id: "l1", name: "Favourites", ownerId: "v1", ownerName: "Mia", createdAt: 1, submittedAt: null, count: 1 };
        const entries: MirrorEntry[] = [
          { intentId: "i1", type: "pick", actor, at: 1, listId: "l1", photoId, commentId: null, list, pick: { listId: "l1", photoId, by: "v1", at: 1 } },
          { intentId: "i2", type: "unpick", actor, at: 2, listId: "l1", photoId, commentId: null, list },
        ] as MirrorEntry[];
        return mirrorEntries(t, galleryId, entries, { dashboard: "http://app.localhost:8787", site: async () => "http://qp.localhost:8787" });
      },
      { sorted: true },
    ],
  ];

  for (const [name, run, opts] of tenantCases) {
    it(`${name}: no scan, no sort, tenant_id first`, async () => {
      const { seen, logger } = recording();
      const d1 = shardBinding(env, owner.studio.shard);
      await run(new TenantDb(d1, owner.studio, { logger }));
      expect(seen.length, "the case ran no statement").toBeGreaterThan(0);
      const found = (await Promise.all(seen.map((s) => problems(d1, s, { tenantScoped: true, ...opts })))).flat();
      expect(found, found.join("\n")).toEqual([]);
    });
  }

  const platformCases: [string, (d1: D1Database, logger: Logger) => Promise<unknown>][] = [
    ["mail whose queue message was lost, across the shard", (d1, logger) => stalledMail(d1, Date.now(), Date.now(), 500, logger)],
    ["galleries closing soon, across the shard", (d1, logger) => closingGalleries(d1, Date.now(), Date.now() + 3 * 86_400_000, 500, logger)],
    ["activity past retention, across the shard", (d1, logger) => forgetActivity(d1, 0, 5000, logger)],
    ["lab orders whose queue message was lost, across the shard", (d1, logger) => stalledLabOrders(d1, Date.now(), 200, logger)],
  ];
  for (const [name, run] of platformCases) {
    it(`${name}: one query on its partial index, no scan, no sort`, async () => {
      const { seen, logger } = recording();
      const d1 = shardBinding(env, owner.studio.shard);
      await run(d1, logger);
      expect(seen).toHaveLength(1);
      expect((await plan(d1, seen[0]!)).join("\n")).toMatch(
        /USING (COVERING )?INDEX (email_outbox_pending_idx|galleries_expiry_idx|proof_activity_age_idx|lab_orders_queued_idx)/,
      );
      const found = await problems(d1, seen[0]!, { tenantScoped: false, sorted: true });
      expect(found, found.join("\n")).toEqual([]);
    });
  }

  const directoryCases: [string, (dir: ReturnType<typeof directoryDb>) => Promise<unknown>][] = [
    ["host → studio by subdomain", (dir) => studioBySlug(dir, "query-plans")],
    ["host → studio by custom domain", (dir) => studioByDomain(dir, "photos.example.com")],
    ["members, a page", (dir) => listMembers(dir, owner.studio.id, { limit: 50 })],
    ["staff invites, a page", (dir) => listInvites(dir, owner.studio.id, { limit: 50 })],
  ];
  for (const [name, run] of directoryCases) {
    it(`${name}: no scan, no sort`, async () => {
      const { seen, logger } = recording();
      await run(directoryDb(env, logger));
      expect(seen.length).toBeGreaterThan(0);
      const found = (await Promise.all(seen.map((s) => problems(env.DIRECTORY, s, { tenantScoped: false, sorted: true })))).flat();
      expect(found, found.join("\n")).toEqual([]);
    });
  }
});
