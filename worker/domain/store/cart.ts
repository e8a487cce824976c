// A visitor's cart in one gallery: lines of item, photos and quantity, a code and a shipping
// choice. It is stored as sent once every part checks out, and always shown priced by the server.
import { and, eq, gt } from "drizzle-orm";
import { z } from "zod";
import type { CartLine, StoreView, VisitorCart } from "../../contract/store";
import { inChunks } from "../../db/chunks";
import type { TenantDb } from "../../db/tenant-db";
import { carts, labProducts, photos } from "../../db/tenant-schema";
import { newId } from "../../lib/bytes";
import { AppError } from "../../lib/errors";
import { galleryForVisitor, visitorFromToken } from "../galleries/access";
import type { GalleryRow } from "../galleries/view";
import { findDiscount, usableDiscount } from "./discounts";
import { type Catalogue, lineProblems, MAX_QUANTITY, priceCart } from "./pricing";
import { cropSchema, cropShapeProblem, printFit, printShape } from "./print-fit";
import { galleryCatalogue } from "./sheets";

const ref = z.string().min(1).max(64);

// Stripe Checkout takes at most 100 line items, and an order with tax sends the tax as one more.
export const MAX_LINES = 99;

// No amounts: anything priced comes from the sheet. Unknown keys (a "unitAmount", a "total") are refused.
export const cartSchema = z
  .object({
    lines: z
      .array(
        z
          .object({
            itemId: ref,
            photoIds: z.array(ref).max(500, "at most 500 photos"),
            quantity: z.number().int().min(1, "must be at least 1").max(MAX_QUANTITY, `must be at most ${MAX_QUANTITY}`).default(1),
            crop: cropSchema.nullable().optional(),
          })
          .strict(),
      )
      .max(MAX_LINES, `at most ${MAX_LINES} lines`),
    discountCode: z.string().trim().max(32).nullable().default(null),
    shippingMethodId: ref.nullable().default(null),
  })
  .strict();
export type CartInput = z.infer<typeof cartSchema>;

export interface Shopper {
  gallery: GalleryRow;
  visitorId: string;
  catalogue: Catalogue;
}

/** The gallery's catalogue and who is shopping; a visitor must have opened the gallery first. */
export async function shopper(tdb: TenantDb, secret: string, galleryId: string, token: string | undefined): Promise<Shopper> {
  const gallery = await galleryForVisitor(tdb, secret, galleryId, token);
  const visitor = await visitorFromToken(token, secret, tdb.tenantId, gallery);
  if (!visitor) throw new AppError("name_required", `Open "${gallery.title}" and tell it your name before shopping.`);
  return { gallery, visitorId: visitor.visitorId, catalogue: await galleryCatalogue(tdb, gallery) };
}

/** Of the ids given, those that are photos clients can see in this gallery. */
export async function visiblePhotos(tdb: TenantDb, galleryId: string, ids: string[]): Promise<Set<string>> {
  const rows = await inChunks(photos.id, ids, (inChunk) =>
    tdb.selectFields({ id: photos.id }, photos, { where: and(eq(photos.galleryId, galleryId), gt(photos.previewVersion, 0), inChunk) }),
  );
  return new Set(rows.map((r) => r.id));
}

async function load(tdb: TenantDb, s: Shopper) {
  return tdb.first(carts, and(eq(carts.galleryId, s.gallery.id), eq(carts.visitorId, s.visitorId)));
}

async function photoSizes(tdb: TenantDb, ids: string[]) {
  const rows = await inChunks(photos.id, ids, (inChunk) =>
    tdb.selectFields({ id: photos.id, width: photos.width, height: photos.height }, photos, { where: inChunk }),
  );
  return new Map(rows.flatMap((r) => (r.width && r.height ? [[r.id, { width: r.width, height: r.height }] as const] : [])));
}

/** Each print line's shape, and whether its photo has the pixels the lab wants for that size. */
async function withFit(tdb: TenantDb, s: Shopper, lines: VisitorCart["lines"]): Promise<VisitorCart["lines"]> {
  const shapes = new Map(s.catalogue.items.flatMap((i) => (printShape(i.size) ? [[i.id, printShape(i.size)!] as const] : [])));
  const prints = lines.filter((l) => shapes.has(l.itemId));
  if (prints.length === 0) return lines;
  const [sizes, needs] = await Promise.all([
    photoSizes(
      tdb,
      prints.map((l) => l.photoIds[0]!),
    ),
    inChunks(
      labProducts.itemId,
      prints.map((l) => l.itemId),
      (inChunk) => tdb.select(labProducts, inChunk),
    ),
  ]);
  return lines.map((l) => {
    const shape = shapes.get(l.itemId);
    const photo = sizes.get(l.photoIds[0]!);
    return shape && photo ? { ...l, fit: printFit(photo, shape, l.crop, needs.find((n) => n.itemId === l.itemId) ?? null) } : l;
  });
}

/** Prices what is stored; a code that stopped applying simply gives no discount. */
export async function pricedCart(tdb: TenantDb, s: Shopper, now = Date.now()): Promise<VisitorCart> {
  const row = await load(tdb, s);
  const discount = row?.discountCode ? await findDiscount(tdb, row.discountCode).catch(() => null) : null;
  const priced = priceCart(s.catalogue, row?.lines ?? [], { discount, shippingMethodId: row?.shippingMethodId ?? null }, now);
  return { ...priced, lines: await withFit(tdb, s, priced.lines), discountInput: row?.discountCode ?? null };
}

export async function saveCart(tdb: TenantDb, s: Shopper, input: CartInput, now = Date.now()) {
  const lines: CartLine[] = input.lines.map((l) => ({ id: newId("cl"), ...l }));
  // What the sheet alone can refuse (an item not for sale, too many photos for a package) is
  // refused before the photos are looked up: a cart names up to thousands.
  const [early] = lineProblems(s.catalogue, lines, () => true);
  if (early) throw new AppError("invalid_input", `${early.field}: ${early.message}`);
  const seen = await visiblePhotos(
    tdb,
    s.gallery.id,
    input.lines.flatMap((l) => l.photoIds),
  );
  const [problem] = lineProblems(s.catalogue, lines, (id) => seen.has(id));
  if (problem) throw new AppError("invalid_input", `${problem.field}: ${problem.message}`);
  await checkCropShapes(tdb, s, lines);
  if (input.shippingMethodId && !s.catalogue.shipping.some((m) => m.id === input.shippingMethodId)) {
    throw new AppError("invalid_input", "shippingMethodId: is not a shipping method of this gallery's price sheet");
  }
  if (input.discountCode) {
    const subtotal = priceCart(s.catalogue, lines, { discount: null, shippingMethodId: null }, now).subtotal;
    await usableDiscount(tdb, s.gallery.id, input.discountCode, subtotal, s.catalogue.sheet.currency, now);
  }
  const row = { lines, discountCode: input.discountCode ? input.discountCode.toUpperCase() : null, shippingMethodId: input.shippingMethodId, updatedAt: now };
  await tdb
    .insert(carts, { galleryId: s.gallery.id, visitorId: s.visitorId, ...row })
    .onConflictDoUpdate({ target: [carts.tenantId, carts.galleryId, carts.visitorId], set: row });
  return pricedCart(tdb, s, now);
}

/** A crop must have its print's shape, which depends on the photo's pixels. */
async function checkCropShapes(tdb: TenantDb, s: Shopper, lines: CartLine[]) {
  const cropped = lines.map((l, n) => ({ l, n })).filter(({ l }) => l.crop);
  if (cropped.length === 0) return;
  const sizes = await photoSizes(
    tdb,
    cropped.map(({ l }) => l.photoIds[0]!),
  );
  for (const { l, n } of cropped) {
    const shape = printShape(s.catalogue.items.find((i) => i.id === l.itemId)?.size ?? null);
    const photo = sizes.get(l.photoIds[0]!);
    const problem = !shape
      ? "this print's size names no shape to crop to"
      : !photo
        ? "this photo's size is not known yet; try again once it has been processed"
        : cropShapeProblem(photo, shape, l.crop!);
    if (problem) throw new AppError("invalid_input", `lines.${n}.crop: ${problem}`);
  }
}

export function emptyCart(tdb: TenantDb, galleryId: string, visitorId: string) {
  return tdb.delete(carts, and(eq(carts.galleryId, galleryId), eq(carts.visitorId, visitorId)));
}

/** What the client app shows next to the cart: the sheet's items and shipping, priced. */
export function storeView(s: Shopper): StoreView {
  const { sheet, items, shipping } = s.catalogue;
  return {
    currency: sheet.currency,
    taxRateBps: sheet.stripeTax ? null : sheet.taxRateBps,
    items: items.map((i) => ({
      id: i.id,
      kind: i.kind,
      name: i.name,
      size: i.size,
      paper: i.paper,
      variant: i.variant,
      packageCount: i.packageCount,
      unitAmount: i.unitAmount,
    })),
    shipping: shipping.map((m) => ({ id: m.id, name: m.name, amount: m.amount })),
  };
}
