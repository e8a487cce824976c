// Keyset paging for every list: rows strictly after the cursor's key, in the key's order. The
// key ends with a unique column, so the order is total and a page never repeats or skips a row
// however many rows arrive meanwhile; no OFFSET, so a deep page costs what the first one does.
import { asc, desc, or, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { z } from "zod";
import { PAGE_LIMIT } from "../contract/paging";
import { AppError } from "../lib/errors";

export const pageQuery = z.object({
  cursor: z.string().max(400, "is not a cursor this list gave").optional(),
  limit: z.coerce
    .number()
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(PAGE_LIMIT.max, `must be at most ${PAGE_LIMIT.max}`)
    .default(PAGE_LIMIT.default),
});
export type PageQuery = z.infer<typeof pageQuery>;

type KeyValue = string | number;
const cursorValues = z
  .array(z.union([z.string().max(200), z.number().finite()]))
  .min(1)
  .max(4);

export function encodeCursor(values: KeyValue[]): string {
  return btoa(JSON.stringify(values)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function decodeCursor(cursor: string, length: number): KeyValue[] {
  try {
    const values = cursorValues.parse(JSON.parse(atob(cursor.replaceAll("-", "+").replaceAll("_", "/"))));
    if (values.length === length) return values;
  } catch {
    // Falls through to the one answer a stranger's cursor gets.
  }
  throw new AppError("invalid_input", "cursor: is not a cursor this list gave; start again without it");
}

/**
 * The order and the "after the cursor" condition for `keys` (unique last), all ascending or all
 * descending. A row-value comparison, so SQLite walks the index that ends with these keys.
 */
export function keyset(keys: (SQLiteColumn | SQL)[], direction: "asc" | "desc", cursor: string | undefined): { after: SQL | undefined; orderBy: SQL[] } {
  const orderBy = keys.map((k) => (direction === "asc" ? asc(k) : desc(k)));
  if (!cursor) return { after: undefined, orderBy };
  const values = decodeCursor(cursor, keys.length);
  const op = direction === "asc" ? sql` > ` : sql` < `;
  const after = sql`(${sql.join(keys, sql`, `)})${op}(${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )})`;
  return { after, orderBy };
}

/** Asks for one row past the page: its presence is what says there is a next page. */
export const pageSize = (q: PageQuery) => q.limit + 1;

export function pageOf<R, T>(rows: R[], q: PageQuery, keyOf: (row: R) => KeyValue[], view: (row: R) => T): { items: T[]; next: string | null } {
  const page = rows.slice(0, q.limit);
  return { items: page.map(view), next: rows.length > q.limit ? encodeCursor(keyOf(page.at(-1)!)) : null };
}

/** Rows where any of `columns` contains `text` (ASCII case-insensitive, as SQLite's LIKE is); % and _ match themselves. */
export function containing(columns: SQLiteColumn[], text: string): SQL {
  const pattern = `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  return or(...columns.map((c) => sql`${c} LIKE ${pattern} ESCAPE '\\'`)) as SQL;
}

/** `?ids=a,b,c`: up to `max` ids, for a page of known rows (a client's favourites, tiles on screen). */
export const idList = (max: number) =>
  z
    .string()
    .max(max * 65)
    .transform((s) => s.split(",").filter(Boolean))
    .pipe(z.array(z.string().min(1).max(64)).max(max, `at most ${max} ids`));
