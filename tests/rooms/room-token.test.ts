// Room tokens open exactly one gallery of one studio, for a short time, as one named person.
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { signRoomToken, verifyRoomToken } from "../../party/room-token";

const SECRET = "room-token-test-secret-0123456789abcdef";
const room = { tenantId: "t_studioA", galleryId: "g_wedding" };
const grant = { ...room, actor: { id: "v_ann000", name: "Ann", role: "client" as const } };

describe("room tokens", () => {
  it("name their holder for their own room", async () => {
    const token = await signRoomToken(SECRET, grant);
    expect(await verifyRoomToken(SECRET, token, room)).toEqual({ actor: grant.actor, accessVersion: null });
  });

  it("refuse other rooms, other studios, forgeries, expiry and absence, each with its reason", async () => {
    const token = await signRoomToken(SECRET, grant);
    expect(await verifyRoomToken(SECRET, token, { ...room, galleryId: "g_other" })).toEqual({ refused: "other_gallery" });
    expect(await verifyRoomToken(SECRET, token, { ...room, tenantId: "t_studioB" })).toEqual({ refused: "other_studio" });
    expect(await verifyRoomToken("another-secret-0123456789abcdef0123", token, room)).toEqual({ refused: "forged" });
    const [h, p, s] = token.split(".");
    const promoted = btoa(JSON.stringify({ ...JSON.parse(atob(p!.replace(/-/g, "+").replace(/_/g, "/"))), role: "photographer" }))
      .replace(/=+$/, "")
      .replace(/\+/g, "-")
      .replace(/\//g, "_");
    expect(await verifyRoomToken(SECRET, `${h}.${promoted}.${s}`, room)).toEqual({ refused: "forged" });
    const expired = await new SignJWT({ tid: room.tenantId, gid: room.galleryId, name: "Ann", role: "client" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("v_ann000")
      .setIssuer("loupe")
      .setAudience("loupe:room")
      .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(SECRET));
    expect(await verifyRoomToken(SECRET, expired, room)).toEqual({ refused: "expired" });
    const wrongAudience = await new SignJWT({ tid: room.tenantId, gid: room.galleryId, name: "Ann", role: "client" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("v_ann000")
      .setIssuer("loupe")
      .setAudience("loupe:gallery")
      .setExpirationTime("5m")
      .sign(new TextEncoder().encode(SECRET));
    expect(await verifyRoomToken(SECRET, wrongAudience, room)).toEqual({ refused: "forged" });
    expect(await verifyRoomToken(SECRET, undefined, room)).toEqual({ refused: "missing" });
  });
});
