// Binds one tenant to the request: its shard, its R2 prefix and its image jobs. Both the studio
// host (from the host) and dashboard routes (from the membership) come through here.
import type { Context } from "hono";
import { tenantDb } from "../db/shards";
import type { TenantRef } from "../db/tenant-db";
import { ImageJobs } from "../images/jobs";
import { RoomSignals } from "../rooms/signals";
import { TenantMedia } from "../storage/tenant-media";
import type { AppEnv } from "./context";

export function bindTenant(c: Context<AppEnv>, tenant: TenantRef): void {
  c.set("tenant", tenant);
  c.set("tdb", tenantDb(c.env, tenant));
  c.set("media", new TenantMedia(c.env.MEDIA, tenant.id));
  c.set("jobs", new ImageJobs(c.env.IMAGE_QUEUE, tenant.id));
  c.set("rooms", new RoomSignals(c.env, tenant.id));
}
