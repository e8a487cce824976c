// Which lab product each print, canvas and metal item of a price sheet is made as. Mapping asks the
// lab twice before anything is kept: for the product's pixels (an unknown SKU or option is refused
// by name) and for a quote (the wholesale cost shown beside the retail price).
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { LabProductView } from "../../contract/labs";
import { physicalKinds } from "../../contract/store";
import type { TenantDb } from "../../db/tenant-db";
import { labProducts, priceItems, priceSheets } from "../../db/tenant-schema";
import { labUnavailable } from "../../labs/lab";
import { AppError } from "../../lib/errors";
import { minorUnits } from "../../lib/money";
import { type LabDeps, requireLab } from "./connection";

export const mapSchema = z
  .object({
    sku: z
      .string()
      .trim()
      .min(3)
      .max(60)
      .regex(/^[A-Za-z0-9-]+$/, "must be the lab's product code, letters, digits and dashes")
      .transform((s) => s.toUpperCase()),
    attributes: z.record(z.string().regex(/^[A-Za-z]{1,40}$/, "must be the option's name"), z.string().trim().min(1).max(60)).default({}),
  })
  .strict()
  .refine((v) => Object.keys(v.attributes).length <= 8, { message: "at most 8 options", path: ["attributes"] });

// The market a sheet sells in, for the lab's quote: its currency's home.
const COUNTRY_OF: Record<string, string> = { usd: "US", eur: "DE", gbp: "GB", cad: "CA", aud: "AU", nzd: "NZ", chf: "CH", sek: "SE", nok: "NO", dkk: "DK" };

type ProductRow = typeof labProducts.$inferSelect;
const view = (p: ProductRow, retail: { unitAmount: number; currency: string } | null): LabProductView => ({
  itemId: p.itemId,
  sku: p.sku,
  attributes: p.attributes,
  unitCost: p.unitCost,
  costCurrency: p.costCurrency,
  margin: retail && retail.currency === p.costCurrency ? retail.unitAmount - p.unitCost : null,
  minWidthPx: p.minWidthPx,
  minHeightPx: p.minHeightPx,
  updatedAt: p.updatedAt,
});

async function sheetOf(tdb: TenantDb, sheetId: string) {
  const sheet = await tdb.first(priceSheets, eq(priceSheets.id, sheetId));
  if (!sheet) throw new AppError("not_found", "No such price sheet.");
  return sheet;
}

async function sheetItem(tdb: TenantDb, sheetId: string, itemId: string) {
  const [row] = await tdb.selectFields({ kind: priceItems.kind, unitAmount: priceItems.unitAmount, name: priceItems.name }, priceItems, {
    where: and(eq(priceItems.sheetId, sheetId), eq(priceItems.id, itemId), eq(priceItems.active, true)),
    limit: 1,
  });
  if (!row) throw new AppError("not_found", "No such item on this price sheet.");
  if (!(physicalKinds as readonly string[]).includes(row.kind))
    throw new AppError("invalid_input", `itemId: "${row.name}" is a ${row.kind} item; only prints, canvas and metal are made by a lab.`);
  return row;
}

export async function mapItem(deps: LabDeps, sheetId: string, itemId: string, input: z.infer<typeof mapSchema>): Promise<LabProductView> {
  const sheet = await sheetOf(deps.tdb, sheetId);
  const item = await sheetItem(deps.tdb, sheet.id, itemId);
  const { lab, connection } = await requireLab(deps);
  const product = { sku: input.sku, attributes: input.attributes };
  const need = await lab.requirement(product);
  const quote = await lab.quote(COUNTRY_OF[sheet.currency] ?? "US", connection.tier, [{ product, copies: 1 }]);
  const cost = quote.lines[0]?.unitCost;
  if (!cost || !Number.isFinite(Number(cost.amount))) throw labUnavailable("Prodigi", "a quote without a price");
  const row = {
    itemId,
    sku: input.sku,
    attributes: input.attributes,
    unitCost: minorUnits(cost.amount),
    costCurrency: cost.currency.toLowerCase(),
    minWidthPx: need.widthPx,
    minHeightPx: need.heightPx,
    updatedAt: Date.now(),
  };
  const { itemId: _i, ...set } = row;
  await deps.tdb.insert(labProducts, row).onConflictDoUpdate({ target: [labProducts.tenantId, labProducts.itemId], set });
  return view({ tenantId: deps.tdb.tenantId, ...row }, { unitAmount: item.unitAmount, currency: sheet.currency });
}

export async function unmapItem(tdb: TenantDb, sheetId: string, itemId: string): Promise<void> {
  await sheetItem(tdb, sheetId, itemId);
  await tdb.delete(labProducts, eq(labProducts.itemId, itemId));
}

/** The sheet's mapped items, at most the sheet's 300: one join, no list of ids bound. */
export async function sheetLabProducts(tdb: TenantDb, sheetId: string): Promise<LabProductView[]> {
  const sheet = await sheetOf(tdb, sheetId);
  const rows = await tdb.selectFields({ p: labProducts, unitAmount: priceItems.unitAmount }, labProducts, {
    join: { table: priceItems, on: eq(priceItems.id, labProducts.itemId) },
    where: and(eq(priceItems.sheetId, sheet.id), eq(priceItems.active, true)),
    orderBy: [priceItems.position],
  });
  return rows.map((r) => view(r.p, { unitAmount: r.unitAmount, currency: sheet.currency }));
}
