// What the request pipeline hands to routes. Domain code sees TenantDb and DirectoryDb only.
import type { DirectoryDb } from "../db/directory-db";
import type { TenantDb, TenantRef } from "../db/tenant-db";
import type { ImageJobs } from "../images/jobs";
import type { RoomSignals } from "../images/notify";
import type { TenantMedia } from "../storage/tenant-media";

export type HostKind = "app" | "studio" | "root";

export interface Session {
  accountId: string;
  sessionId: string;
}

export interface Membership {
  tenant: TenantRef;
  role: "owner" | "staff";
}

export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    directory: DirectoryDb;
    /** Set on studio hosts (from the host) and on dashboard studio routes (from the membership). */
    tenant: TenantRef;
    tdb: TenantDb;
    media: TenantMedia;
    jobs: ImageJobs;
    rooms: RoomSignals;
    session: Session;
    membership: Membership;
  };
}
