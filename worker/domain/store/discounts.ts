// Discount codes: percent or fixed, with a minimum subtotal, a use limit and a validity window.
// A use is taken by one conditional UPDATE when an order is placed, so concurrent checkouts can
// never spend more uses than the code has; a cancelled unpaid order gives its use back.

import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { DiscountsResponse, DiscountView } from "../../contract/store";
import { keyset, type PageQuery, pageOf, pageQuery, pageSize } from "../../db/paging";
import type { TenantDb } from "../../db/tenant-db";
import { discountCodes } from "../../db/tenant-schema";
import { newId } from "../../lib/bytes";
import { AppError } from "../../lib/errors";
import { timestamp } from "../../lib/timestamp";
import { checkAttempts, countAttempt } from "../limits/attempts";
import { discountProblem } from "./pricing";

export const discountSchema = z
  .object({
    code: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z0-9_-]{3,32}$/, "must be 3 to 32 letters, digits, - or _"),
    kind: z.enum(["percent", "fixed"]),
    value: z.number().int("must be a whole number").positive("must be more than 0"),
    minSubtotal: z.number().int().min(0, "must not be negative").default(0),
    maxUses: z.number().int().positive("must be at least 1").nullable().default(null),
    startsAt: timestamp.nullable().default(null),
    endsAt: timestamp.nullable().default(null),
  })
  .strict()
  .superRefine((d, ctx) => {
    if (d.kind === "percent" && d.value > 10_000) ctx.addIssue({ code: "custom", path: ["value"], message: "must be at most 10000 (100%) for a percent code" });
    if (d.startsAt !== null && d.endsAt !== null && d.endsAt <= d.startsAt)
      ctx.addIssue({ code: "custom", path: ["endsAt"], message: "must be after startsAt" });
  });

export const discountPatchSchema = z
  .object({ active: z.boolean(), maxUses: z.number().int().positive().nullable(), endsAt: timestamp.nullable() })
  .partial()
  .strict();

const view = ({ tenantId: _t, ...d }: typeof discountCodes.$inferSelect): DiscountView => d;

export const discountListQuery = pageQuery.strict();

/** One page of the studio's discount codes, oldest first. */
export async function listDiscounts(tdb: TenantDb, query: PageQuery): Promise<DiscountsResponse> {
  const { after, orderBy } = keyset([discountCodes.createdAt, discountCodes.id], "asc", query.cursor);
  const rows = await tdb
    .select(discountCodes, after)
    .orderBy(...orderBy)
    .limit(pageSize(query));
  const page = pageOf(rows, query, (d) => [d.createdAt, d.id], view);
  return { discounts: page.items, next: page.next };
}

export async function createDiscount(tdb: TenantDb, input: z.infer<typeof discountSchema>) {
  if (await tdb.first(discountCodes, eq(discountCodes.code, input.code))) throw new AppError("invalid_input", `code: "${input.code}" already exists`);
  const id = newId("dc");
  await tdb.insert(discountCodes, { id, ...input, createdAt: Date.now() });
  return view((await tdb.first(discountCodes, eq(discountCodes.id, id)))!);
}

export async function updateDiscount(tdb: TenantDb, discountId: string, patch: z.infer<typeof discountPatchSchema>) {
  if (!(await tdb.first(discountCodes, eq(discountCodes.id, discountId)))) throw new AppError("not_found", "No such discount code.");
  if (Object.keys(patch).length) await tdb.update(discountCodes, patch, eq(discountCodes.id, discountId));
  return view((await tdb.first(discountCodes, eq(discountCodes.id, discountId)))!);
}

/**
 * A code a client typed, if it can be used on this subtotal now. A missing code, and one that is
 * inactive, not started, expired or used up, get the same answer, so codes cannot be found by
 * trying; each such try counts against the gallery's budget (limits/attempts.ts).
 */
export async function usableDiscount(tdb: TenantDb, galleryId: string, code: string, subtotal: number, currency: string, now = Date.now()) {
  await checkAttempts(tdb, "discount", galleryId, now);
  const row = await tdb.first(discountCodes, eq(discountCodes.code, code.trim().toUpperCase()));
  const why = row ? discountProblem(row, subtotal, currency, now) : "missing";
  if (!row || why) await countAttempt(tdb, "discount", galleryId, now);
  if (!row || (why && subtotal >= row.minSubtotal)) throw new AppError("invalid_input", "discountCode: is not a code that can be used now");
  if (why) throw new AppError("invalid_input", `discountCode: ${why}`);
  return row;
}

/** The code as typed by a client, or a 400 naming the field. */
export async function findDiscount(tdb: TenantDb, code: string) {
  const row = await tdb.first(discountCodes, eq(discountCodes.code, code.trim().toUpperCase()));
  if (!row) throw new AppError("invalid_input", "discountCode: is not a valid code");
  return row;
}

/** Takes one use if one is left and the code is valid now; false when it is not. */
export async function takeDiscountUse(tdb: TenantDb, discountId: string, now: number): Promise<boolean> {
  const res = await tdb.update(
    discountCodes,
    { uses: sql`${discountCodes.uses} + 1` },
    and(
      eq(discountCodes.id, discountId),
      eq(discountCodes.active, true),
      sql`(${discountCodes.maxUses} IS NULL OR ${discountCodes.uses} < ${discountCodes.maxUses})`,
      sql`(${discountCodes.startsAt} IS NULL OR ${discountCodes.startsAt} <= ${now})`,
      sql`(${discountCodes.endsAt} IS NULL OR ${discountCodes.endsAt} > ${now})`,
    ),
  );
  return res.meta.changes === 1;
}

export function giveDiscountUseBack(tdb: TenantDb, discountId: string) {
  return tdb.update(discountCodes, { uses: sql`max(${discountCodes.uses} - 1, 0)` }, eq(discountCodes.id, discountId));
}
