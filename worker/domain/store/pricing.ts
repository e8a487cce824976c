// Prices a cart from the studio's price sheet, and only from it: a client sends item ids, photo ids,
// quantities, a code and a shipping choice, never an amount. Pure, so the cart view, the order and
// the Stripe session all come from the same arithmetic.
import { type CartLine, type PricedCart, physicalKinds } from "../../contract/store";
import type { discountCodes, priceItems, priceSheets, shippingMethods } from "../../db/store-schema";
import { formatMoney } from "../../lib/money";

export type PriceSheetRow = typeof priceSheets.$inferSelect;
export type PriceItemRow = typeof priceItems.$inferSelect;
export type ShippingRow = typeof shippingMethods.$inferSelect;
export type DiscountRow = typeof discountCodes.$inferSelect;

export interface Catalogue {
  sheet: PriceSheetRow;
  items: PriceItemRow[];
  shipping: ShippingRow[];
}

const PHYSICAL = new Set<string>(physicalKinds);
export const MAX_QUANTITY = 99;

/** Why a code does not apply now, or null. Uses are checked again, atomically, when ordering. */
export function discountProblem(d: DiscountRow, subtotal: number, currency: string, now: number): string | null {
  if (!d.active) return "is no longer valid";
  if (d.startsAt !== null && now < d.startsAt) return "is not valid yet";
  if (d.endsAt !== null && now >= d.endsAt) return "has expired";
  if (d.maxUses !== null && d.uses >= d.maxUses) return "has been used up";
  if (subtotal < d.minSubtotal) return `needs a subtotal of at least ${formatMoney(d.minSubtotal, currency)}`;
  return null;
}

export function discountAmount(d: DiscountRow, subtotal: number): number {
  const off = d.kind === "percent" ? Math.round((subtotal * d.value) / 10_000) : d.value;
  return Math.min(subtotal, Math.max(0, off));
}

/** Checks each line against the sheet and the gallery's photos; throws nothing, returns problems. */
export function lineProblems(catalogue: Catalogue, lines: CartLine[], photoExists: (id: string) => boolean): { field: string; message: string }[] {
  const items = new Map(catalogue.items.filter((i) => i.active).map((i) => [i.id, i]));
  // The first problem of each line: the later checks assume the earlier ones passed.
  const problemOf = (line: CartLine, at: string): { field: string; message: string } | null => {
    const item = items.get(line.itemId);
    if (!item) return { field: `${at}.itemId`, message: "is not for sale in this gallery" };
    const missing = line.photoIds.find((p) => !photoExists(p));
    if (missing) return { field: `${at}.photoIds`, message: `"${missing}" is not a photo of this gallery` };
    if (new Set(line.photoIds).size !== line.photoIds.length) return { field: `${at}.photoIds`, message: "names a photo twice" };
    if (item.kind === "package") {
      if (line.crop) return { field: `${at}.crop`, message: `only prints are cropped; "${item.name}" is a package` };
      if (line.photoIds.length < 1 || line.photoIds.length > (item.packageCount ?? 0)) {
        return { field: `${at}.photoIds`, message: `must name 1 to ${item.packageCount} photos for "${item.name}"` };
      }
      if (line.quantity !== 1) return { field: `${at}.quantity`, message: "must be 1 for a package" };
    } else {
      if (line.photoIds.length !== 1) return { field: `${at}.photoIds`, message: "must name exactly one photo" };
      if (line.crop && !PHYSICAL.has(item.kind)) return { field: `${at}.crop`, message: `only prints are cropped; "${item.name}" is a ${item.kind} item` };
      if (item.kind === "digital" && line.quantity !== 1) return { field: `${at}.quantity`, message: "must be 1 for a download" };
    }
    return null;
  };
  return lines.flatMap((line, n) => problemOf(line, `lines.${n}`) ?? []);
}

export function priceCart(
  catalogue: Catalogue,
  lines: CartLine[],
  choice: { discount: DiscountRow | null; shippingMethodId: string | null },
  now: number,
): PricedCart {
  const { sheet } = catalogue;
  const items = new Map(catalogue.items.map((i) => [i.id, i]));
  const priced = lines.flatMap((line) => {
    const item = items.get(line.itemId);
    if (!item?.active) return [];
    return [
      {
        id: line.id,
        itemId: item.id,
        kind: item.kind,
        name: item.name,
        variant: item.variant,
        photoIds: line.photoIds,
        quantity: line.quantity,
        unitAmount: item.unitAmount,
        amount: item.unitAmount * line.quantity,
        ...(PHYSICAL.has(item.kind) && line.crop ? { crop: line.crop } : {}),
      },
    ];
  });
  const subtotal = priced.reduce((s, l) => s + l.amount, 0);
  const usable = choice.discount && !discountProblem(choice.discount, subtotal, sheet.currency, now) ? choice.discount : null;
  const discount = usable ? discountAmount(usable, subtotal) : 0;
  const needsShipping = priced.some((l) => PHYSICAL.has(l.kind));
  const method = needsShipping ? (catalogue.shipping.find((m) => m.id === choice.shippingMethodId && m.active) ?? null) : null;
  const shipping = method?.amount ?? 0;
  // Goods after discount are taxed at the studio's rate; shipping is not.
  const tax = sheet.stripeTax ? 0 : Math.round(((subtotal - discount) * sheet.taxRateBps) / 10_000);
  return {
    currency: sheet.currency,
    lines: priced,
    subtotal,
    discount,
    discountCode: usable?.code ?? null,
    shipping,
    shippingMethod: method ? { id: method.id, name: method.name } : null,
    needsShipping,
    tax,
    taxByStripe: sheet.stripeTax,
    total: subtotal - discount + shipping + tax,
  };
}
