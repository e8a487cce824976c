// Delivery to clients, in the tenant shards: who visited each gallery and what they downloaded.
// Every table has tenant_id and every index leads with it (tenant-schema.ts).
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

const now = sql`(unixepoch() * 1000)`;

// Everyone who entered a gallery or was invited to it: the studio's visitor list, and who the
// reminders reach. One row per visitor id (the id in their cookie or invite link).
export const galleryVisitors = sqliteTable(
  "gallery_visitors",
  {
    tenantId: text("tenant_id").notNull(),
    galleryId: text("gallery_id").notNull(),
    id: text("id").notNull(),
    name: text("name"),
    email: text("email"),
    invited: integer("invited", { mode: "boolean" }).notNull().default(false),
    firstSeen: integer("first_seen"),
    lastSeen: integer("last_seen"),
    downloads: integer("downloads").notNull().default(0),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.galleryId, t.id] }), index("gallery_visitors_page_idx").on(t.tenantId, t.galleryId, t.createdAt, t.id)],
);

// Each download a client asked for: one photo, or a zip of a gallery, set or list in numbered parts.
export const galleryDownloads = sqliteTable(
  "gallery_downloads",
  {
    tenantId: text("tenant_id").notNull(),
    galleryId: text("gallery_id").notNull(),
    id: text("id").notNull(),
    visitorId: text("visitor_id"),
    visitorName: text("visitor_name"),
    visitorEmail: text("visitor_email"),
    scope: text("scope", { enum: ["photo", "gallery", "set", "list"] }).notNull(),
    label: text("label").notNull(),
    size: text("size", { enum: ["web", "high_res", "original"] }).notNull(),
    photoCount: integer("photo_count").notNull(),
    bytes: integer("bytes").notNull(),
    // The photo ids of each numbered part, in order: a part link streams exactly these.
    parts: text("parts", { mode: "json" }).$type<string[][]>().notNull(),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.galleryId, t.id] }),
    index("gallery_downloads_page_idx").on(t.tenantId, t.galleryId, t.createdAt, t.id),
    index("gallery_downloads_visitor_idx").on(t.tenantId, t.galleryId, t.visitorId),
  ],
);
