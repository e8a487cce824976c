// The store's tables on the tenant shards: what a studio sells (price sheets), what a visitor is
// about to buy (carts) and what was bought (orders), with the mail it sends. Money is always an
// integer count of the currency's minor unit (cents), with the currency beside it.
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import {
  type CartLine,
  digitalVariants,
  emailKinds,
  emailStatuses,
  type OrderLine,
  orderStatuses,
  paymentMethods,
  productKinds,
  type ShippingAddress,
} from "../contract/store";

const now = sql`(unixepoch() * 1000)`;

export const priceSheets = sqliteTable(
  "price_sheets",
  {
    tenantId: text("tenant_id").notNull(),
    id: text("id").notNull(),
    name: text("name").notNull(),
    currency: text("currency").notNull(),
    // The studio's own tax rate in basis points (825 = 8.25%), used when Stripe Tax is off.
    taxRateBps: integer("tax_rate_bps").notNull().default(0),
    stripeTax: integer("stripe_tax", { mode: "boolean" }).notNull().default(false),
    createdAt: integer("created_at").notNull().default(now),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const priceItems = sqliteTable(
  "price_items",
  {
    tenantId: text("tenant_id").notNull(),
    id: text("id").notNull(),
    sheetId: text("sheet_id").notNull(),
    kind: text("kind", { enum: productKinds }).notNull(),
    name: text("name").notNull(),
    // Prints, canvas and metal: a size ("8×10") and, for prints, a paper ("Lustre").
    size: text("size"),
    paper: text("paper"),
    // Digital items and packages: which file the client gets.
    variant: text("variant", { enum: digitalVariants }),
    // Packages: how many photos the price covers ("10 digitals for $50").
    packageCount: integer("package_count"),
    unitAmount: integer("unit_amount").notNull(),
    position: real("position").notNull().default(0),
    // Items are retired, never deleted: orders keep pointing at what was bought.
    active: integer("active", { mode: "boolean" }).notNull().default(true),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index("price_items_sheet_idx").on(t.tenantId, t.sheetId, t.position)],
);

export const shippingMethods = sqliteTable(
  "shipping_methods",
  {
    tenantId: text("tenant_id").notNull(),
    id: text("id").notNull(),
    sheetId: text("sheet_id").notNull(),
    name: text("name").notNull(),
    amount: integer("amount").notNull(),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index("shipping_methods_sheet_idx").on(t.tenantId, t.sheetId)],
);

export const discountCodes = sqliteTable(
  "discount_codes",
  {
    tenantId: text("tenant_id").notNull(),
    id: text("id").notNull(),
    // Stored upper-case; clients type it in any case.
    code: text("code").notNull(),
    kind: text("kind", { enum: ["percent", "fixed"] }).notNull(),
    // percent: basis points (1500 = 15%); fixed: minor units of the sheet's currency.
    value: integer("value").notNull(),
    minSubtotal: integer("min_subtotal").notNull().default(0),
    maxUses: integer("max_uses"),
    // Counted when an order is placed with the code, given back if that order is cancelled unpaid.
    uses: integer("uses").notNull().default(0),
    startsAt: integer("starts_at"),
    endsAt: integer("ends_at"),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex("discount_codes_code_uq").on(t.tenantId, t.code),
    index("discount_codes_page_idx").on(t.tenantId, t.createdAt, t.id),
  ],
);

export const carts = sqliteTable(
  "carts",
  {
    tenantId: text("tenant_id").notNull(),
    galleryId: text("gallery_id").notNull(),
    visitorId: text("visitor_id").notNull(),
    lines: text("lines", { mode: "json" }).$type<CartLine[]>().notNull(),
    discountCode: text("discount_code"),
    shippingMethodId: text("shipping_method_id"),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.galleryId, t.visitorId] })],
);

export const orders = sqliteTable(
  "orders",
  {
    tenantId: text("tenant_id").notNull(),
    id: text("id").notNull(),
    // Per studio, from 1001 up: what the client and the studio say on the phone.
    number: integer("number").notNull(),
    galleryId: text("gallery_id").notNull(),
    visitorId: text("visitor_id").notNull(),
    customerName: text("customer_name").notNull(),
    customerEmail: text("customer_email").notNull(),
    status: text("status", { enum: orderStatuses }).notNull().default("pending"),
    paymentMethod: text("payment_method", { enum: paymentMethods }).notNull(),
    currency: text("currency").notNull(),
    lines: text("lines", { mode: "json" }).$type<OrderLine[]>().notNull(),
    subtotal: integer("subtotal").notNull(),
    discount: integer("discount").notNull().default(0),
    shipping: integer("shipping").notNull().default(0),
    tax: integer("tax").notNull().default(0),
    total: integer("total").notNull(),
    // The charge's amount_refunded as Stripe last reported it (absolute, so replays change nothing).
    refunded: integer("refunded").notNull().default(0),
    applicationFee: integer("application_fee").notNull().default(0),
    discountCodeId: text("discount_code_id"),
    discountCode: text("discount_code"),
    shippingMethod: text("shipping_method"),
    shippingAddress: text("shipping_address", { mode: "json" }).$type<ShippingAddress>(),
    trackingNumber: text("tracking_number"),
    stripeAccountId: text("stripe_account_id"),
    checkoutSessionId: text("checkout_session_id"),
    paymentIntentId: text("payment_intent_id"),
    note: text("note"),
    paidAt: integer("paid_at"),
    createdAt: integer("created_at").notNull().default(now),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex("orders_number_uq").on(t.tenantId, t.number),
    // The dashboard's order list: all, by status, by gallery, by the customer's email; each newest first.
    index("orders_page_idx").on(t.tenantId, t.createdAt, t.id),
    index("orders_status_page_idx").on(t.tenantId, t.status, t.createdAt, t.id),
    index("orders_gallery_page_idx").on(t.tenantId, t.galleryId, t.createdAt, t.id),
    index("orders_email_idx").on(t.tenantId, t.customerEmail),
    index("orders_visitor_idx").on(t.tenantId, t.galleryId, t.visitorId, t.createdAt),
  ],
);

export const downloadGrants = sqliteTable(
  "download_grants",
  {
    tenantId: text("tenant_id").notNull(),
    id: text("id").notNull(),
    orderId: text("order_id").notNull(),
    expiresAt: integer("expires_at").notNull(),
    maxDownloads: integer("max_downloads").notNull(),
    downloads: integer("downloads").notNull().default(0),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index("download_grants_order_idx").on(t.tenantId, t.orderId)],
);

export const emailOutbox = sqliteTable(
  "email_outbox",
  {
    tenantId: text("tenant_id").notNull(),
    id: text("id").notNull(),
    kind: text("kind", { enum: emailKinds }).notNull(),
    to: text("to").notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    // The HTML twin of text, for mail built with mail/html.ts.
    html: text("html"),
    status: text("status", { enum: emailStatuses }).notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    createdAt: integer("created_at").notNull().default(now),
    sentAt: integer("sent_at"),
    // Held by the queue consumer while it talks to the provider: a second delivery of the same
    // message waits it out instead of sending again.
    leasedUntil: integer("leased_until"),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    // Platform work, across the shard's studios on purpose: mail whose queue message was lost.
    // Partial, so it holds only what is still to send.
    index("email_outbox_pending_idx").on(t.status, t.createdAt).where(sql`status = 'queued'`),
    // Every index ends with the rowid: the list pages by (created_at, rowid), in insertion order.
    index("email_outbox_recent_idx").on(t.tenantId, t.createdAt),
    index("email_outbox_status_idx").on(t.tenantId, t.status),
  ],
);
