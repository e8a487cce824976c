// The directory is global by nature (it maps hosts and accounts to tenants), so domain code gets
// a typed drizzle handle on it rather than a TenantDb.
import type { Logger } from "drizzle-orm";
import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";
import * as directorySchema from "./directory-schema";

export type DirectoryDb = DrizzleD1Database<typeof directorySchema>;

export function directoryDb(env: Env, logger?: Logger): DirectoryDb {
  return drizzle(env.DIRECTORY, { schema: directorySchema, logger });
}
