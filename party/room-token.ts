// Room tokens: short-lived jose tokens the worker mints from a dashboard session or a visitor
// token, naming who the holder is in one gallery of one studio. The room verifies one before a
// socket may sync, and answers a refusal with a reason the browser can show.
import { decodeJwt, errors, type JWTPayload, jwtVerify, SignJWT } from "jose";
import type { Actor } from "./doc";

const ISSUER = "loupe";
const AUDIENCE = "loupe:room";
export const ROOM_TOKEN_TTL_SECONDS = 10 * 60;

export interface RoomGrant {
  tenantId: string;
  galleryId: string;
  actor: Actor;
  /** A client's token names the gallery's access version: a new password shuts it out. */
  accessVersion?: number;
}

export type RoomRefusal =
  | "missing"
  | "expired"
  | "forged"
  | "other_gallery"
  | "other_studio"
  | "access_changed"
  | "gallery_expired"
  | "not_member"
  | "unavailable";

/** Close codes in the application range, one per refusal, with the reason as close text. */
export const REFUSAL_CLOSE: Record<RoomRefusal, [number, string]> = {
  missing: [4401, "room token missing"],
  expired: [4401, "room token expired"],
  forged: [4401, "room token invalid"],
  other_gallery: [4403, "room token is for another gallery"],
  other_studio: [4403, "room token is for another studio"],
  access_changed: [4401, "gallery access changed; open the gallery again"],
  gallery_expired: [4410, "this gallery has expired"],
  not_member: [4403, "you are no longer a member of this studio"],
  // Not a refusal for good: the browser tries again, and D1 may answer then.
  unavailable: [4503, "the gallery could not be checked just now; trying again"],
};

const key = (secret: string) => new TextEncoder().encode(secret);

export async function signRoomToken(secret: string, grant: RoomGrant): Promise<string> {
  return new SignJWT({ tid: grant.tenantId, gid: grant.galleryId, name: grant.actor.name, role: grant.actor.role, av: grant.accessVersion ?? null })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(grant.actor.id)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ROOM_TOKEN_TTL_SECONDS}s`)
    .sign(key(secret));
}

/**
 * Who a token says it is, unverified: enough to turn away at once someone the room has cut off
 * (a forged token naming them is turned away too, which costs no one anything).
 */
export function claimedActor(token: string | null | undefined): string | null {
  if (!token) return null;
  try {
    const sub = decodeJwt(token).sub;
    return typeof sub === "string" ? sub : null;
  } catch {
    return null;
  }
}

/** The actor a token names for this room, or why it opens nothing here. */
export async function verifyRoomToken(
  secret: string,
  token: string | null | undefined,
  room: { tenantId: string; galleryId: string },
): Promise<{ actor: Actor; accessVersion: number | null } | { refused: RoomRefusal }> {
  if (!token) return { refused: "missing" };
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, key(secret), { algorithms: ["HS256"], issuer: ISSUER, audience: AUDIENCE }));
  } catch (err) {
    return { refused: err instanceof errors.JWTExpired ? "expired" : "forged" };
  }
  const role = payload.role === "photographer" ? "photographer" : payload.role === "client" ? "client" : null;
  if (typeof payload.sub !== "string" || typeof payload.name !== "string" || !role) return { refused: "forged" };
  if (payload.tid !== room.tenantId) return { refused: "other_studio" };
  if (payload.gid !== room.galleryId) return { refused: "other_gallery" };
  const accessVersion = typeof payload.av === "number" ? payload.av : null;
  return { actor: { id: payload.sub, name: payload.name.slice(0, 100), role }, accessVersion };
}
