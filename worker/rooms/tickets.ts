// Room tokens for the two kinds of people in a gallery: a client, known by the visitor token the
// gallery's access step gave them (with the name they entered), and a member of the studio.
import { eq } from "drizzle-orm";
import type { Actor } from "../../party/doc";
import { ROOM_TOKEN_TTL_SECONDS, signRoomToken } from "../../party/room-token";
import type { RoomTicket } from "../contract/proofing";
import type { DirectoryDb } from "../db/directory-db";
import { accounts } from "../db/directory-schema";
import type { TenantDb } from "../db/tenant-db";
import { galleryForVisitor, visitorFromToken } from "../domain/galleries/access";
import { galleryRow } from "../domain/galleries/view";
import { AppError } from "../lib/errors";

async function ticket(secret: string, tdb: TenantDb, galleryId: string, actor: Actor, path: string, accessVersion?: number): Promise<RoomTicket> {
  const token = await signRoomToken(secret, { tenantId: tdb.tenantId, galleryId, actor, accessVersion });
  return { token, expiresIn: ROOM_TOKEN_TTL_SECONDS, actor, path };
}

export async function visitorRoomTicket(tdb: TenantDb, secret: string, galleryId: string, visitorToken: string | undefined): Promise<RoomTicket> {
  const gallery = await galleryForVisitor(tdb, secret, galleryId, visitorToken);
  const visitor = await visitorFromToken(visitorToken, secret, tdb.tenantId, gallery);
  if (!visitor?.name) {
    throw new AppError("name_required", `name: tell "${gallery.title}" who you are first (POST /g/${galleryId}/access with your name).`);
  }
  return ticket(secret, tdb, galleryId, { id: visitor.visitorId, name: visitor.name, role: "client" }, `/g/${galleryId}/room`, gallery.accessVersion);
}

export async function photographerRoomTicket(tdb: TenantDb, dir: DirectoryDb, secret: string, galleryId: string, accountId: string): Promise<RoomTicket> {
  await galleryRow(tdb, galleryId);
  const account = await dir.select({ name: accounts.name }).from(accounts).where(eq(accounts.id, accountId)).get();
  if (!account) throw new AppError("unauthenticated", "Sign in again.");
  const path = `/api/studios/${tdb.tenantId}/galleries/${galleryId}/room`;
  return ticket(secret, tdb, galleryId, { id: accountId, name: account.name, role: "photographer" }, path);
}
