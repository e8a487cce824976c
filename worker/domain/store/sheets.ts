// Price sheets: what a studio sells and for how much, in one currency. A sheet is sent whole; items
// and shipping methods it no longer lists are retired (kept for the orders that name them).

import { and, asc, eq } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { z } from "zod";
import { type PriceSheetView, sheetCurrencies } from "../../contract/store";
import { statementsInChunks } from "../../db/chunks";
import type { TenantDb } from "../../db/tenant-db";
import { priceItems, priceSheets, shippingMethods } from "../../db/tenant-schema";
import { newId } from "../../lib/bytes";
import { AppError } from "../../lib/errors";
import type { Catalogue } from "./pricing";

const id = z.string().min(1).max(64).optional();
const name = z.string().trim().min(1, "is required").max(80, "must be at most 80 characters");
const amount = z.number().int("must be whole minor units (cents)").min(0, "must not be negative").max(10_000_000, "must be at most 10,000,000");
const size = z.string().trim().min(1, "is required").max(40, "must be at most 40 characters");
const variant = z.enum(["web", "high_res", "original"]);

const itemSchema = z.discriminatedUnion("kind", [
  z.object({ id, kind: z.literal("print"), name, size, paper: size, unitAmount: amount }).strict(),
  z.object({ id, kind: z.literal("canvas"), name, size, unitAmount: amount }).strict(),
  z.object({ id, kind: z.literal("metal"), name, size, unitAmount: amount }).strict(),
  z.object({ id, kind: z.literal("digital"), name, variant, unitAmount: amount }).strict(),
  z
    .object({
      id,
      kind: z.literal("package"),
      name,
      variant,
      packageCount: z.number().int().min(2, "must be at least 2").max(500, "must be at most 500"),
      unitAmount: amount,
    })
    .strict(),
]);

export const priceSheetSchema = z
  .object({
    name,
    currency: z
      .string()
      .toLowerCase()
      .pipe(z.enum(sheetCurrencies, { errorMap: () => ({ message: `must be one of ${sheetCurrencies.join(", ")}` }) })),
    taxRateBps: z.number().int().min(0, "must not be negative").max(5000, "must be at most 5000 (50%)").default(0),
    stripeTax: z.boolean().default(false),
    items: z.array(itemSchema).max(300, "at most 300 items"),
    shipping: z.array(z.object({ id, name, amount }).strict()).max(20, "at most 20 shipping methods").default([]),
  })
  .strict();
export type PriceSheetInput = z.infer<typeof priceSheetSchema>;

export async function listPriceSheets(tdb: TenantDb): Promise<PriceSheetView[]> {
  const sheets = await tdb.select(priceSheets).orderBy(asc(priceSheets.createdAt));
  return Promise.all(sheets.map((s) => catalogueView(tdb, s.id)));
}

export async function catalogue(tdb: TenantDb, sheetId: string, activeOnly = false): Promise<Catalogue> {
  const sheet = await tdb.first(priceSheets, eq(priceSheets.id, sheetId));
  if (!sheet) throw new AppError("not_found", "No such price sheet.");
  const [items, shipping] = await Promise.all([
    tdb.select(priceItems, eq(priceItems.sheetId, sheetId)).orderBy(asc(priceItems.position)),
    tdb.select(shippingMethods, eq(shippingMethods.sheetId, sheetId)),
  ]);
  return activeOnly ? { sheet, items: items.filter((i) => i.active), shipping: shipping.filter((m) => m.active) } : { sheet, items, shipping };
}

export async function catalogueView(tdb: TenantDb, sheetId: string): Promise<PriceSheetView> {
  const { sheet, items, shipping } = await catalogue(tdb, sheetId, true);
  const { tenantId: _t, ...rest } = sheet;
  return {
    ...rest,
    items: items.map(({ tenantId: _i, sheetId: _s, active: _a, ...i }) => i),
    shipping: shipping.map(({ tenantId: _i, sheetId: _s, active: _a, ...m }) => m),
  };
}

export async function createPriceSheet(tdb: TenantDb, input: PriceSheetInput): Promise<PriceSheetView> {
  const sheetId = newId("ps");
  checkIds(input, [], []);
  const head = tdb.insert(priceSheets, { id: sheetId, name: input.name, currency: input.currency, taxRateBps: input.taxRateBps, stripeTax: input.stripeTax });
  await writeContents(tdb, sheetId, input, [], [], head);
  return catalogueView(tdb, sheetId);
}

export async function replacePriceSheet(tdb: TenantDb, sheetId: string, input: PriceSheetInput): Promise<PriceSheetView> {
  const current = await catalogue(tdb, sheetId);
  if (input.currency !== current.sheet.currency && current.items.length > 0) {
    throw new AppError("invalid_input", "currency: cannot change once the sheet has items; make a new sheet instead");
  }
  checkIds(
    input,
    current.items.map((i) => i.id),
    current.shipping.map((m) => m.id),
  );
  // Only what is still on sale can be retired: retiring the retired again on every save is how
  // a small sheet edited often once outgrew a statement.
  const itemIds = current.items.filter((i) => i.active).map((i) => i.id);
  const shippingIds = current.shipping.filter((m) => m.active).map((m) => m.id);
  const head = tdb.update(
    priceSheets,
    { name: input.name, currency: input.currency, taxRateBps: input.taxRateBps, stripeTax: input.stripeTax, updatedAt: Date.now() },
    eq(priceSheets.id, sheetId),
  );
  await writeContents(tdb, sheetId, input, itemIds, shippingIds, head);
  return catalogueView(tdb, sheetId);
}

/** Ids in the input must be this sheet's own; checked before anything is written. */
function checkIds(input: PriceSheetInput, itemIds: string[], shippingIds: string[]) {
  input.items.forEach((item, n) => {
    if (item.id && !itemIds.includes(item.id)) throw new AppError("invalid_input", `items.${n}.id: is not an item of this sheet`);
  });
  input.shipping.forEach((m, n) => {
    if (m.id && !shippingIds.includes(m.id)) throw new AppError("invalid_input", `shipping.${n}.id: is not a shipping method of this sheet`);
  });
}

/** The sheet's own row (`head`), its items and shipping, in one transaction. */
async function writeContents(tdb: TenantDb, sheetId: string, input: PriceSheetInput, itemIds: string[], shippingIds: string[], head: BatchItem<"sqlite">) {
  const kept = new Set(input.items.flatMap((i) => (i.id ? [i.id] : [])));
  const keptShipping = new Set(input.shipping.flatMap((m) => (m.id ? [m.id] : [])));
  const statements: BatchItem<"sqlite">[] = [
    head,
    ...input.items.map((item, position) => {
      const row = {
        kind: item.kind,
        name: item.name,
        unitAmount: item.unitAmount,
        position,
        active: true,
        size: "size" in item ? item.size : null,
        paper: "paper" in item ? item.paper : null,
        variant: "variant" in item ? item.variant : null,
        packageCount: "packageCount" in item ? item.packageCount : null,
      };
      return item.id
        ? tdb.update(priceItems, row, and(eq(priceItems.sheetId, sheetId), eq(priceItems.id, item.id)))
        : tdb.insert(priceItems, { ...row, id: newId("pi"), sheetId });
    }),
    ...input.shipping.map((m) =>
      m.id
        ? tdb.update(shippingMethods, { name: m.name, amount: m.amount, active: true }, and(eq(shippingMethods.sheetId, sheetId), eq(shippingMethods.id, m.id)))
        : tdb.insert(shippingMethods, { id: newId("sm"), sheetId, name: m.name, amount: m.amount }),
    ),
  ];
  const retired = itemIds.filter((i) => !kept.has(i));
  statements.push(
    ...statementsInChunks(priceItems.id, retired, (inChunk) => tdb.update(priceItems, { active: false }, and(eq(priceItems.sheetId, sheetId), inChunk))),
  );
  const retiredShipping = shippingIds.filter((i) => !keptShipping.has(i));
  statements.push(
    ...statementsInChunks(shippingMethods.id, retiredShipping, (inChunk) =>
      tdb.update(shippingMethods, { active: false }, and(eq(shippingMethods.sheetId, sheetId), inChunk)),
    ),
  );
  // One batch is one transaction: the sheet never shows half a save.
  await tdb.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
}

/** The sheet a gallery sells from, or a 404 saying nothing is for sale there. */
export async function galleryCatalogue(tdb: TenantDb, gallery: { priceSheetId: string | null; title: string }): Promise<Catalogue> {
  if (!gallery.priceSheetId) throw new AppError("not_found", `Nothing is for sale in "${gallery.title}".`);
  return catalogue(tdb, gallery.priceSheetId, true);
}

export async function assertSheetExists(tdb: TenantDb, sheetId: string | null | undefined): Promise<void> {
  if (sheetId && !(await tdb.first(priceSheets, eq(priceSheets.id, sheetId)))) {
    throw new AppError("invalid_input", "priceSheetId: is not a price sheet of this studio");
  }
}
