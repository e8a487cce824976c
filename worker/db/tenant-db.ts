// TenantDb is the only door domain code has to a tenant shard. Every statement it builds carries
// `tenant_id = <this tenant>`, so a query that forgets its tenant cannot be written.
import { and, eq, getTableColumns, type Logger, type SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";
import type { SelectResultFields } from "drizzle-orm/query-builders/select.types";
import type { SelectedFields, SQLiteColumn, SQLiteTable, SQLiteUpdateSetSource } from "drizzle-orm/sqlite-core";
import type { StudioRef } from "../contract/studios";
import { chunked, D1_MAX_PARAMS } from "./chunks";
import * as tenantSchema from "./tenant-schema";

export type TenantTable = SQLiteTable & { tenantId: SQLiteColumn };
type Insert<T extends TenantTable> = Omit<T["$inferInsert"], "tenantId">;

/** A studio as routing knows it: id, address and shard. */
export type TenantRef = StudioRef;

export class TenantDb {
  readonly #db: DrizzleD1Database<typeof tenantSchema>;

  constructor(
    d1: D1Database,
    readonly tenant: TenantRef,
    // The query-plan test reads each statement the domain runs through here.
    opts: { logger?: Logger; mailQueue?: Queue; labQueue?: Queue } = {},
  ) {
    this.#db = drizzle(d1, { schema: tenantSchema, logger: opts.logger });
    this.#logger = opts.logger;
    this.mailQueue = opts.mailQueue;
    this.labQueue = opts.labQueue;
  }

  /** Where the studio's committed outbox rows are announced (worker/domain/mail/outbox.ts). */
  readonly mailQueue?: Queue;
  /** Where paid orders' lab prints are announced (worker/domain/labs/routing.ts). */
  readonly labQueue?: Queue;

  readonly #logger?: Logger;

  get tenantId(): string {
    return this.tenant.id;
  }

  #scope(table: TenantTable, where?: SQL): SQL {
    return and(eq(table.tenantId, this.tenant.id), where) as SQL;
  }

  select<T extends TenantTable>(table: T, where?: SQL) {
    // Not $dynamic(): a second .where() would replace the tenant condition, and without
    // $dynamic() TypeScript refuses it.
    return this.#own(this.#db.select().from(table).where(this.#scope(table, where)));
  }

  /**
   * Chosen columns or aggregates, still scoped to this tenant. `join`: an inner join with another
   * tenant table, matched on tenant_id as well as `on`, so a join cannot reach another studio's rows.
   */
  async selectFields<F extends SelectedFields>(
    fields: F,
    table: TenantTable,
    opts: { where?: SQL; join?: { table: TenantTable; on: SQL }; groupBy?: (SQLiteColumn | SQL)[]; orderBy?: (SQLiteColumn | SQL)[]; limit?: number } = {},
  ): Promise<SelectResultFields<F>[]> {
    const from = this.#db.select(fields).from(table as SQLiteTable);
    // The join changes only which rows match; the selected fields (and so the result type) stay.
    const joined = (
      opts.join ? from.innerJoin(opts.join.table as SQLiteTable, and(eq(opts.join.table.tenantId, table.tenantId), opts.join.on)) : from
    ) as typeof from;
    let query = joined.where(this.#scope(table, opts.where)).$dynamic();
    if (opts.groupBy) query = query.groupBy(...opts.groupBy);
    if (opts.orderBy) query = query.orderBy(...opts.orderBy);
    if (opts.limit !== undefined) query = query.limit(opts.limit);
    return (await query) as SelectResultFields<F>[];
  }

  async first<T extends TenantTable>(table: T, where?: SQL): Promise<T["$inferSelect"] | undefined> {
    const rows = await this.select(table, where).limit(1);
    return rows[0] as T["$inferSelect"] | undefined;
  }

  insert<T extends TenantTable>(table: T, row: Insert<T>) {
    return this.#own(this.#db.insert(table).values({ ...row, tenantId: this.tenant.id } as T["$inferInsert"]));
  }

  /** Many rows as as few statements as D1's parameter limit allows, for one batch. */
  insertRows<T extends TenantTable>(table: T, rows: Insert<T>[]) {
    const columns = Object.keys(getTableColumns(table)).length;
    const scoped = rows.map((r) => ({ ...r, tenantId: this.tenant.id }) as T["$inferInsert"]);
    return chunked(scoped, Math.max(1, Math.floor(D1_MAX_PARAMS / columns))).map((chunk) => this.#own(this.#db.insert(table).values(chunk)));
  }

  update<T extends TenantTable>(table: T, set: Omit<SQLiteUpdateSetSource<T>, "tenantId">, where?: SQL) {
    return this.#own(
      this.#db
        .update(table)
        .set(set as SQLiteUpdateSetSource<T>)
        .where(this.#scope(table, where)),
    );
  }

  /** UPDATE … FROM `source` (a table-valued function such as json_each): many rows, one statement. */
  updateFrom<T extends TenantTable>(table: T, set: Omit<SQLiteUpdateSetSource<T>, "tenantId">, source: SQL, where?: SQL) {
    return this.#own(
      this.#db
        .update(table)
        .set(set as SQLiteUpdateSetSource<T>)
        .from(source)
        .where(this.#scope(table, where)),
    );
  }

  delete<T extends TenantTable>(table: T, where?: SQL) {
    return this.#own(this.#db.delete(table).where(this.#scope(table, where)));
  }

  /** One atomic D1 transaction; D1 has no interactive ones. Only statements built here. */
  batch<U extends BatchItem<"sqlite">, T extends Readonly<[U, ...U[]]>>(queries: T) {
    for (const q of queries) {
      if (!this.#built.has(q)) throw new Error("TenantDb.batch takes only statements built by the same TenantDb");
      // drizzle's logger does not see a batch's statements.
      if (this.#logger) {
        const { sql, params } = (q as unknown as { toSQL(): { sql: string; params: unknown[] } }).toSQL();
        this.#logger.logQuery(sql, params);
      }
    }
    return this.#db.batch(queries);
  }

  readonly #built = new WeakSet<object>();
  #own<Q extends object>(query: Q): Q {
    this.#built.add(query);
    return query;
  }
}
