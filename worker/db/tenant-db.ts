// TenantDb is the only door domain code has to a tenant shard. Every statement it builds carries
// `tenant_id = <this tenant>`, so a query that forgets its tenant cannot be written.
import { and, eq, type SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { BatchItem } from "drizzle-orm/batch";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import * as tenantSchema from "./tenant-schema";

export type TenantTable = SQLiteTable & { tenantId: SQLiteColumn };
type Insert<T extends TenantTable> = Omit<T["$inferInsert"], "tenantId">;

export interface TenantRef {
  id: string;
  slug: string;
  shard: number;
}

export class TenantDb {
  readonly #db;

  constructor(
    d1: D1Database,
    readonly tenant: TenantRef,
  ) {
    this.#db = drizzle(d1, { schema: tenantSchema });
  }

  get tenantId(): string {
    return this.tenant.id;
  }

  #scope(table: TenantTable, where?: SQL): SQL {
    return and(eq(table.tenantId, this.tenant.id), where) as SQL;
  }

  select<T extends TenantTable>(table: T, where?: SQL) {
    return this.#db.select().from(table as SQLiteTable).where(this.#scope(table, where)).$dynamic();
  }

  async first<T extends TenantTable>(table: T, where?: SQL): Promise<T["$inferSelect"] | undefined> {
    const rows = await this.select(table, where).limit(1);
    return rows[0] as T["$inferSelect"] | undefined;
  }

  insert<T extends TenantTable>(table: T, values: Insert<T> | Insert<T>[]) {
    const rows = (Array.isArray(values) ? values : [values]).map((v) => ({ ...v, tenantId: this.tenant.id }));
    return this.#db.insert(table).values(rows as T["$inferInsert"][]);
  }

  update<T extends TenantTable>(table: T, set: Partial<Insert<T>>, where?: SQL) {
    return this.#db
      .update(table)
      .set(set as Partial<T["$inferInsert"]>)
      .where(this.#scope(table, where));
  }

  delete<T extends TenantTable>(table: T, where?: SQL) {
    return this.#db.delete(table).where(this.#scope(table, where));
  }

  /** One atomic D1 transaction; D1 has no interactive ones. */
  batch<U extends BatchItem<"sqlite">, T extends Readonly<[U, ...U[]]>>(queries: T) {
    return this.#db.batch(queries);
  }
}
