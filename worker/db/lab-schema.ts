// Print labs, in the tenant shards: the studio's lab account (its API key sealed), the lab product
// each price-sheet item is made as, and each paid order's prints on their way through the lab.
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { type LabLineView, type LabShipmentView, labEnvironments, labNames, labOrderStatuses, labTiers } from "../contract/labs";

const now = sql`(unixepoch() * 1000)`;

export const labConnections = sqliteTable("lab_connections", {
  tenantId: text("tenant_id").primaryKey(),
  lab: text("lab", { enum: labNames }).notNull(),
  environment: text("environment", { enum: labEnvironments }).notNull(),
  // Sealed under the pepper with the studio's id as additional data (lib/seal.ts).
  sealedKey: text("sealed_key").notNull(),
  keyHint: text("key_hint").notNull(),
  holdForReview: integer("hold_for_review", { mode: "boolean" }).notNull().default(false),
  tier: text("tier", { enum: labTiers }).notNull().default("standard"),
  connectedAt: integer("connected_at").notNull().default(now),
});

export const labProducts = sqliteTable(
  "lab_products",
  {
    tenantId: text("tenant_id").notNull(),
    itemId: text("item_id").notNull(),
    sku: text("sku").notNull(),
    attributes: text("attributes", { mode: "json" }).$type<Record<string, string>>().notNull(),
    unitCost: integer("unit_cost").notNull(),
    costCurrency: text("cost_currency").notNull(),
    minWidthPx: integer("min_width_px").notNull(),
    minHeightPx: integer("min_height_px").notNull(),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.itemId] })],
);

export const labOrders = sqliteTable(
  "lab_orders",
  {
    tenantId: text("tenant_id").notNull(),
    orderId: text("order_id").notNull(),
    lab: text("lab", { enum: labNames }).notNull(),
    status: text("status", { enum: labOrderStatuses }).notNull(),
    // Bumped when the studio sends a refused order again: a new idempotency key for a new request.
    generation: integer("generation").notNull().default(0),
    attempts: integer("attempts").notNull().default(0),
    // The lines as mapped when the order was paid: a later change of the price sheet changes nothing here.
    lines: text("lines", { mode: "json" }).$type<LabLineView[]>().notNull(),
    // The account the order went to, sealed as the connection's key is: callbacks and cancels
    // reach it even after the studio disconnects or connects another account.
    environment: text("environment", { enum: labEnvironments }),
    sealedKey: text("sealed_key"),
    labOrderId: text("lab_order_id"),
    labStage: text("lab_stage"),
    problem: text("problem"),
    shipments: text("shipments", { mode: "json" }).$type<LabShipmentView[]>().notNull().default(sql`'[]'`),
    submittedAt: integer("submitted_at"),
    createdAt: integer("created_at").notNull().default(now),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.orderId] }),
    // Platform work across the shard's studios: lab orders whose queue message was lost.
    index("lab_orders_queued_idx").on(t.status, t.updatedAt).where(sql`status = 'queued'`),
  ],
);
