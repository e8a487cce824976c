// Tenant shards: everything a studio owns. Every table has tenant_id and every index leads with it,
// so TenantDb can scope every statement and each shard stays cheap to query per studio.
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { type AlertKind, alertKinds } from "../contract/alerts";
import type { DownloadRules, GalleryDefaultsPatch, SelectionRules, WatermarkSettings } from "../contract/galleries";
import { visibilities } from "../contract/galleries";
import { originalStates, type PhotoExif, photoStatuses } from "../contract/photos";

const now = sql`(unixepoch() * 1000)`;

export const studioProfiles = sqliteTable("studio_profiles", {
  tenantId: text("tenant_id").primaryKey(),
  name: text("name").notNull(),
  tagline: text("tagline").notNull().default(""),
  about: text("about").notNull().default(""),
  // Shown on the studio's website: empty until the studio chooses one.
  contactEmail: text("contact_email").notNull().default(""),
  // Where the studio is told of submissions and expiring galleries: never shown to anyone.
  notifyEmail: text("notify_email").notNull().default(""),
  accentColor: text("accent_color").notNull().default("#1f6feb"),
  // File names under the studio's brand/ folder in R2, served at /brand/<file> on its host; a new
  // upload gets a new name, so the files can be cached for good.
  logoFile: text("logo_file"),
  coverFile: text("cover_file"),
  // What a new gallery starts with (domain/galleries/defaults.ts); what the form sends wins.
  galleryDefaults: text("gallery_defaults", { mode: "json" }).$type<GalleryDefaultsPatch>().notNull().default(sql`'{}'`),
  // Which alerts also come by mail (domain/alerts): kinds set to false stay in the dashboard only.
  alertMail: text("alert_mail", { mode: "json" }).$type<Partial<Record<AlertKind, boolean>>>().notNull().default(sql`'{}'`),
  updatedAt: integer("updated_at").notNull().default(now),
});

/**
 * The studio's notification centre: one row per thing it was told of, keyed by what it is about so
 * an event seen twice (a redelivered webhook) is one alert. New comments are one row per gallery
 * and hour, counted up, and mailed as a digest (mailState) once the hour has settled.
 */
export const notifications = sqliteTable(
  "notifications",
  {
    tenantId: text("tenant_id").notNull(),
    id: text("id").notNull(),
    kind: text("kind", { enum: alertKinds }).notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    link: text("link").notNull(),
    count: integer("count").notNull().default(1),
    createdAt: integer("created_at").notNull().default(now),
    readAt: integer("read_at"),
    // "digest": a comment digest still to mail; "done": nothing more to mail.
    mailState: text("mail_state", { enum: ["digest", "done"] })
      .notNull()
      .default("done"),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index("notifications_page_idx").on(t.tenantId, t.createdAt, t.id),
    index("notifications_unread_idx").on(t.tenantId, t.readAt),
    // Platform work across the shard: digests due.
    index("notifications_digest_idx").on(t.mailState, t.createdAt).where(sql`mail_state = 'digest'`),
  ],
);

export const galleries = sqliteTable(
  "galleries",
  {
    tenantId: text("tenant_id").notNull(),
    id: text("id").notNull(),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    // Who the gallery is for, so the studio can find it by the client as well as by its title.
    clientName: text("client_name").notNull().default(""),
    clientEmail: text("client_email").notNull().default(""),
    visibility: text("visibility", { enum: visibilities }).notNull().default("unlisted"),
    passwordHash: text("password_hash"),
    // Bumped when visibility or the password changes: visitor tokens of an older version stop working.
    accessVersion: integer("access_version").notNull().default(1),
    expiresAt: integer("expires_at"),
    coverPhotoId: text("cover_photo_id"),
    // The price sheet clients order from; null: nothing is for sale in this gallery.
    priceSheetId: text("price_sheet_id"),
    downloads: text("downloads", { mode: "json" }).$type<DownloadRules>().notNull(),
    downloadPinHash: text("download_pin_hash"),
    watermark: text("watermark", { mode: "json" }).$type<WatermarkSettings>().notNull(),
    // Bumped on every watermark change; a photo whose preview_version lags is re-rendered.
    watermarkVersion: integer("watermark_version").notNull().default(1),
    selection: text("selection", { mode: "json" }).$type<SelectionRules>().notNull(),
    // Clients give a name and an email before they see anything, so the studio knows who looked.
    requireEmail: integer("require_email", { mode: "boolean" }).notNull().default(false),
    // The lightbox shows each photo's camera, lens and exposure unless the studio hides them.
    showExif: integer("show_exif", { mode: "boolean" }).notNull().default(true),
    // selection.dueAt, as a column: the daily reminders find galleries due soon by index.
    dueAt: integer("due_at"),
    position: real("position").notNull().default(0),
    createdAt: integer("created_at").notNull().default(now),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index("galleries_page_idx").on(t.tenantId, t.position, t.id),
    // The studio's home page lists only public galleries; private ones are not walked past.
    index("galleries_listed_idx").on(t.tenantId, t.position, t.id).where(sql`visibility = 'public'`),
    // Platform work, across the shard's studios on purpose: the daily expiry notices.
    index("galleries_expiry_idx").on(t.expiresAt).where(sql`expires_at IS NOT NULL`),
    // Platform work too: the daily selection reminders.
    index("galleries_due_idx").on(t.dueAt).where(sql`due_at IS NOT NULL`),
  ],
);

export const gallerySets = sqliteTable(
  "gallery_sets",
  {
    tenantId: text("tenant_id").notNull(),
    id: text("id").notNull(),
    galleryId: text("gallery_id").notNull(),
    name: text("name").notNull(),
    position: real("position").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index("gallery_sets_gallery_idx").on(t.tenantId, t.galleryId, t.position)],
);

export const photos = sqliteTable(
  "photos",
  {
    tenantId: text("tenant_id").notNull(),
    id: text("id").notNull(),
    galleryId: text("gallery_id").notNull(),
    setId: text("set_id"),
    // Kept as uploaded: clients' picks are exported by filename for Lightroom.
    filename: text("filename").notNull(),
    contentType: text("content_type").notNull(),
    size: integer("size").notNull(),
    width: integer("width"),
    height: integer("height"),
    status: text("status", { enum: photoStatuses }).notNull().default("uploading"),
    failureReason: text("failure_reason"),
    exif: text("exif", { mode: "json" }).$type<PhotoExif>(),
    position: real("position").notNull().default(0),
    hasMaster: integer("has_master", { mode: "boolean" }).notNull().default(false),
    masterBytes: integer("master_bytes").notNull().default(0),
    originalState: text("original_state", { enum: originalStates }).notNull().default("pending"),
    originalUploadId: text("original_upload_id"),
    originalPartSize: integer("original_part_size"),
    derivativeBytes: integer("derivative_bytes").notNull().default(0),
    // The gallery watermark version the current preview was rendered with (0: none yet).
    previewVersion: integer("preview_version").notNull().default(0),
    // Similar shots: EXIF capture time (ms), a 64-bit perceptual hash (hex), a sharpness score,
    // the stack a frame belongs to (null: alone) and whether it looks soft beside its stack.
    takenAt: integer("taken_at"),
    phash: text("phash"),
    sharpness: real("sharpness"),
    stackId: text("stack_id"),
    soft: integer("soft", { mode: "boolean" }).notNull().default(false),
    createdAt: integer("created_at").notNull().default(now),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    // Restacking reads the frames taken a few seconds either side of a new one.
    index("photos_taken_idx").on(t.tenantId, t.galleryId, t.takenAt).where(sql`taken_at IS NOT NULL`),
    // A stack's frames and their count, for the client page's "5 similar".
    index("photos_stack_idx").on(t.tenantId, t.galleryId, t.stackId).where(sql`stack_id IS NOT NULL`),
    index("photos_page_idx").on(t.tenantId, t.galleryId, t.position, t.id),
    // The client page, set by set; preview_version last so the set counts are read off the index alone.
    index("photos_set_page_idx").on(t.tenantId, t.galleryId, t.setId, t.position, t.id, t.previewVersion),
    // Covers the dashboard's counts by status and watermark version.
    index("photos_gallery_status_idx").on(t.tenantId, t.galleryId, t.status, t.previewVersion),
  ],
);

// R2's Workers API cannot list the parts of a multipart upload, so Loupe records each one: a
// resumed upload asks which parts arrived and sends only the rest.
export const uploadParts = sqliteTable(
  "upload_parts",
  {
    tenantId: text("tenant_id").notNull(),
    photoId: text("photo_id").notNull(),
    partNumber: integer("part_number").notNull(),
    etag: text("etag").notNull(),
    size: integer("size").notNull(),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.photoId, t.partNumber] })],
);

// The proofing mirror: the gallery room (a Durable Object) is the authority for lists, picks and
// comments; it copies them here within seconds for the dashboard, exports and the store. Ids are
// client-made, so every key includes the gallery: one gallery's ids can never touch another's rows.
export const proofLists = sqliteTable(
  "proof_lists",
  {
    tenantId: text("tenant_id").notNull(),
    galleryId: text("gallery_id").notNull(),
    id: text("id").notNull(),
    name: text("name").notNull(),
    ownerId: text("owner_id").notNull(),
    ownerName: text("owner_name").notNull(),
    createdAt: integer("created_at").notNull(),
    submittedAt: integer("submitted_at"),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.galleryId, t.id] }), index("proof_lists_page_idx").on(t.tenantId, t.galleryId, t.createdAt, t.id)],
);

export const proofPicks = sqliteTable(
  "proof_picks",
  {
    tenantId: text("tenant_id").notNull(),
    galleryId: text("gallery_id").notNull(),
    listId: text("list_id").notNull(),
    photoId: text("photo_id").notNull(),
    pickedBy: text("picked_by").notNull(),
    pickedAt: integer("picked_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.galleryId, t.listId, t.photoId] })],
);

export const proofComments = sqliteTable(
  "proof_comments",
  {
    tenantId: text("tenant_id").notNull(),
    galleryId: text("gallery_id").notNull(),
    id: text("id").notNull(),
    photoId: text("photo_id").notNull(),
    authorId: text("author_id").notNull(),
    authorName: text("author_name").notNull(),
    body: text("body").notNull(),
    resolved: integer("resolved", { mode: "boolean" }).notNull().default(false),
    // The thread's first comment, for a reply; null for a comment that starts a thread.
    replyTo: text("reply_to"),
    createdAt: integer("created_at").notNull(),
    editedAt: integer("edited_at"),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.galleryId, t.id] }), index("proof_comments_recent_idx").on(t.tenantId, t.galleryId, t.createdAt)],
);

// One row per applied intent, keyed by its id: the mirror may deliver an intent twice, the feed
// shows it once.
export const proofActivity = sqliteTable(
  "proof_activity",
  {
    tenantId: text("tenant_id").notNull(),
    galleryId: text("gallery_id").notNull(),
    id: text("id").notNull(),
    type: text("type").notNull(),
    actorId: text("actor_id").notNull(),
    actorName: text("actor_name").notNull(),
    actorRole: text("actor_role", { enum: ["client", "photographer"] }).notNull(),
    listId: text("list_id"),
    photoId: text("photo_id"),
    commentId: text("comment_id"),
    detail: text("detail", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    at: integer("at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.galleryId, t.id] }),
    index("proof_activity_page_idx").on(t.tenantId, t.galleryId, t.at, t.id),
    // Platform work, across the shard's studios on purpose: the daily retention sweep.
    index("proof_activity_age_idx").on(t.at),
  ],
);

// Messages sent through the contact form of the studio's website, shown in the dashboard.
export const contactMessages = sqliteTable(
  "contact_messages",
  {
    tenantId: text("tenant_id").notNull(),
    id: text("id").notNull(),
    name: text("name").notNull(),
    email: text("email").notNull(),
    message: text("message").notNull(),
    createdAt: integer("created_at").notNull().default(now),
    readAt: integer("read_at"),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index("contact_messages_page_idx").on(t.tenantId, t.createdAt, t.id),
    index("contact_messages_unread_idx").on(t.tenantId, t.readAt),
  ],
);

export * from "./counters-schema";
export * from "./delivery-schema";
export * from "./lab-schema";
export * from "./store-schema";
