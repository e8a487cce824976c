// The Durable Object class wrangler.toml binds as GALLERY_ROOM: the room's logic (party/) on the
// studio's D1 shard. The backend (party/room-backend.ts) finds which photos the gallery has (picks
// and comments must name one), its selection rules and access, and mirrors applied intents.
// Hibernation is set here, on the final class, where y-partyserver reads it.
import { and, eq } from "drizzle-orm";
import { GalleryRoomCore } from "../../party/gallery-room";
import type { RoomBackend, RoomGallery } from "../../party/room-backend";
import type { RoomId } from "../../party/room-name";
import { oneOf } from "../db/chunks";
import { type DirectoryDb, directoryDb } from "../db/directory-db";
import { memberships } from "../db/directory-schema";
import { keyset, pageOf } from "../db/paging";
import { tenantDbById } from "../db/shards";
import type { TenantDb } from "../db/tenant-db";
import { galleries, photos } from "../db/tenant-schema";
import { servingOrigin } from "../domain/domains/domains";
import { dashboardOrigin, siteOrigin } from "../lib/origins";
import { mirrorEntries } from "./mirror";

export class GalleryRoom extends GalleryRoomCore {
  static override options = { hibernate: true };

  protected override openBackend(room: RoomId) {
    return new D1RoomBackend(this.env, room);
  }
}

export class D1RoomBackend implements RoomBackend {
  // Found once: a studio's id and shard never change. Null once the studio is gone.
  #tdb?: TenantDb | null;

  constructor(
    private readonly env: Env,
    private readonly room: RoomId,
  ) {}

  async #tenantDb(): Promise<TenantDb | null> {
    if (this.#tdb === undefined) this.#tdb = await tenantDbById(this.env, this.room.tenantId);
    return this.#tdb;
  }

  async gallery(): Promise<RoomGallery | null> {
    const tdb = await this.#tenantDb();
    return tdb && roomGallery(tdb, this.room.galleryId);
  }

  async photoIds(cursor: string | null): Promise<{ ids: string[]; next: string | null }> {
    const tdb = await this.#tenantDb();
    return tdb ? roomPhotoIds(tdb, this.room.galleryId, cursor) : { ids: [], next: null };
  }

  async hasPhoto(photoId: string): Promise<boolean> {
    const tdb = await this.#tenantDb();
    return !!tdb && (await roomHasPhoto(tdb, this.room.galleryId, photoId));
  }

  async members(accountIds: string[]): Promise<Set<string>> {
    return roomMembers(directoryDb(this.env), this.room.tenantId, accountIds);
  }

  async mirror(entries: Parameters<RoomBackend["mirror"]>[0]): Promise<boolean> {
    const tdb = await this.#tenantDb();
    if (!tdb) return false;
    const site = async () => (await servingOrigin(directoryDb(this.env), tdb.tenantId)) ?? siteOrigin(this.env, tdb.tenant.slug);
    await mirrorEntries(tdb, this.room.galleryId, entries, { dashboard: dashboardOrigin(this.env), site });
    return true;
  }
}

/** What a room loads before it lets anyone in: the gallery's rules and access, one row. */
export async function roomGallery(tdb: TenantDb, galleryId: string): Promise<RoomGallery | null> {
  const gallery = await tdb.first(galleries, eq(galleries.id, galleryId));
  if (!gallery) return null;
  return { selection: gallery.selection, accessVersion: gallery.accessVersion, expiresAt: gallery.expiresAt };
}

const PHOTO_IDS_PAGE = 1000;

/** A page of the gallery's photo ids in grid order, read by the room once it is open. */
export async function roomPhotoIds(tdb: TenantDb, galleryId: string, cursor: string | null): Promise<{ ids: string[]; next: string | null }> {
  const { after, orderBy } = keyset([photos.position, photos.id], "asc", cursor ?? undefined);
  const rows = await tdb.selectFields({ id: photos.id, position: photos.position }, photos, {
    where: and(eq(photos.galleryId, galleryId), after),
    orderBy,
    limit: PHOTO_IDS_PAGE + 1,
  });
  const page = pageOf(
    rows,
    { limit: PHOTO_IDS_PAGE },
    (r) => [r.position, r.id],
    (r) => r.id,
  );
  return { ids: page.items, next: page.next };
}

/** Which of these accounts still belong to the studio (at most 80: oneOf). */
export async function roomMembers(dir: DirectoryDb, tenantId: string, accountIds: string[]): Promise<Set<string>> {
  if (accountIds.length === 0) return new Set();
  const rows = await dir
    .select({ accountId: memberships.accountId })
    .from(memberships)
    .where(and(eq(memberships.tenantId, tenantId), oneOf(memberships.accountId, accountIds)));
  return new Set(rows.map((r) => r.accountId));
}

export async function roomHasPhoto(tdb: TenantDb, galleryId: string, photoId: string): Promise<boolean> {
  const rows = await tdb.selectFields({ id: photos.id }, photos, { where: and(eq(photos.galleryId, galleryId), eq(photos.id, photoId)) });
  return rows.length > 0;
}
