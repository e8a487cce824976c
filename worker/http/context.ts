// What the request pipeline hands to routes. Domain code sees TenantDb and DirectoryDb only.

import type { Membership } from "../contract/studios";
import type { DirectoryDb } from "../db/directory-db";
import type { TenantDb, TenantRef } from "../db/tenant-db";
import type { Session } from "../domain/accounts/tokens";
import type { ImageJobs } from "../images/jobs";
import type { RoomSignals } from "../rooms/signals";
import type { TenantMedia } from "../storage/tenant-media";

export type HostKind = "app" | "studio" | "root";

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
