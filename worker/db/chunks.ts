// D1 binds at most 100 parameters in one statement. Every IN (…) list goes through here (Biome
// refuses `inArray` anywhere else), so a studio's 101st gallery cannot turn a list into a 500.
import { inArray, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";

export const D1_MAX_PARAMS = 100;
// Leaves room for the tenant id and the other conditions of the statement the list sits in.
export const IN_CHUNK = 80;

export function chunked<T>(items: readonly T[], size = IN_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** `column IN (…)` for a short list the code bounds itself (statuses, one page of ids); longer lists throw. */
export function oneOf<T extends string | number>(column: SQLiteColumn, values: readonly T[]): SQL {
  if (values.length > IN_CHUNK) throw new RangeError(`oneOf takes at most ${IN_CHUNK} values; use inChunks for ${values.length}`);
  return inArray(column, values as T[]);
}

/** Runs `query` once per chunk of `values` (`column IN (…)` for that chunk) and joins the rows. */
export async function inChunks<T extends string | number, R>(
  column: SQLiteColumn,
  values: readonly T[],
  query: (inChunk: SQL) => PromiseLike<R[]>,
): Promise<R[]> {
  const unique = [...new Set(values)];
  const parts = await Promise.all(chunked(unique).map((chunk) => query(inArray(column, chunk))));
  return parts.flat();
}

/** One statement per chunk of `values`, for a batch: writes stay in one atomic D1 transaction. */
export function statementsInChunks<T extends string | number, S>(column: SQLiteColumn, values: readonly T[], statement: (inChunk: SQL) => S): S[] {
  return chunked([...new Set(values)]).map((chunk) => statement(inArray(column, chunk)));
}
