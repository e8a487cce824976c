// Tenant shards: everything a studio owns. Every table has tenant_id and every index leads with it,
// so TenantDb can scope every statement and each shard stays cheap to query per studio.
import { sql } from "drizzle-orm";
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const studioProfiles = sqliteTable("studio_profiles", {
  tenantId: text("tenant_id").primaryKey(),
  name: text("name").notNull(),
  tagline: text("tagline").notNull().default(""),
  about: text("about").notNull().default(""),
  contactEmail: text("contact_email").notNull().default(""),
  accentColor: text("accent_color").notNull().default("#1f6feb"),
  updatedAt: integer("updated_at").notNull().default(sql`(unixepoch() * 1000)`),
});
