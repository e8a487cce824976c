// Who may look at a gallery. Public and unlisted galleries open with their link; a password
// gallery needs a visitor token (jose, gallery-scoped) that the password earns. An expired gallery
// is closed to everyone but the studio.
import { eq } from "drizzle-orm";
import { jwtVerify, SignJWT } from "jose";
import { z } from "zod";
import type { TenantDb } from "../../db/tenant-db";
import { galleries } from "../../db/tenant-schema";
import { newId } from "../../lib/bytes";
import { AppError } from "../../lib/errors";
import { verifyPassword } from "../accounts/password";
import { emailSchema } from "../accounts/schemas";
import { checkAttempts, countAttempt } from "../limits/attempts";
import type { GalleryRow } from "./view";
import { recordVisit, type Visitor } from "./visitors";

const AUDIENCE = "loupe:gallery";
const VISITOR_TTL_SECONDS = 30 * 24 * 3600;

export const accessSchema = z
  .object({
    password: z.string().max(100, "must be at most 100 characters").optional(),
    name: z.string().trim().min(1, "is required").max(100, "must be at most 100 characters").optional(),
    email: emailSchema.optional(),
  })
  .strict();

export interface VisitorClaims {
  visitorId: string;
  galleryId: string;
  tenantId: string;
  name: string | null;
  email: string | null;
  /** Came in by a personal invite link. */
  invited: boolean;
}

const key = (secret: string) => new TextEncoder().encode(secret);

export async function visitorFromToken(
  token: string | undefined,
  secret: string,
  tenantId: string,
  gallery: { id: string; accessVersion: number },
): Promise<VisitorClaims | null> {
  if (!token) return null;
  const galleryId = gallery.id;
  try {
    const { payload } = await jwtVerify(token, key(secret), { algorithms: ["HS256"], issuer: "loupe", audience: AUDIENCE });
    if (payload.tid !== tenantId || payload.gid !== galleryId || typeof payload.sub !== "string") return null;
    if (payload.av !== gallery.accessVersion) return null;
    return {
      visitorId: payload.sub,
      galleryId,
      tenantId,
      name: typeof payload.name === "string" ? payload.name : null,
      email: typeof payload.email === "string" ? payload.email : null,
      invited: payload.inv === true,
    };
  } catch {
    return null;
  }
}

/** The gallery if it is open to clients at all (it exists and has not expired); no password check. */
export async function galleryOpenToClients(tdb: TenantDb, galleryId: string): Promise<GalleryRow> {
  const gallery = await tdb.first(galleries, eq(galleries.id, galleryId));
  if (!gallery) throw new AppError("not_found", "No such gallery.");
  if (gallery.expiresAt !== null && gallery.expiresAt <= Date.now()) {
    // Without its title: whoever has the address, password or not, learns nothing from the refusal.
    throw new AppError("gallery_expired", "This gallery has expired; ask the studio to reopen it.");
  }
  return gallery;
}

/**
 * The gallery if this visitor may see it: open to clients, a password gallery only with a visitor
 * token its password earned, and one that asks for an email only once the visitor has given it.
 */
export async function galleryForVisitor(tdb: TenantDb, secret: string, galleryId: string, token: string | undefined): Promise<GalleryRow> {
  return (await galleryAndVisitor(tdb, secret, galleryId, token)).gallery;
}

const need = (field: "name" | "email" | "password") => ({ field, message: "is required" });

/** The gallery as galleryForVisitor opens it, and who the visitor is (null: no token, on an open gallery). */
export async function galleryAndVisitor(tdb: TenantDb, secret: string, galleryId: string, token: string | undefined) {
  const gallery = await galleryOpenToClients(tdb, galleryId);
  const visitor = await visitorFromToken(token, secret, tdb.tenantId, gallery);
  // `details` names what the access form must ask for.
  const who = gallery.requireEmail ? [need("name"), need("email")] : [];
  if (gallery.visibility === "password" && !visitor) {
    throw new AppError("password_required", "This gallery is private; enter its password.", { details: [need("password"), ...who] });
  }
  if (gallery.requireEmail && !visitor?.email)
    throw new AppError("email_required", "email: this gallery asks for your name and email first.", { details: who });
  return { gallery, visitor };
}

/**
 * A visitor token for this gallery, earned by its password where it has one. Someone who already
 * holds a valid token (`current`) stays the same visitor; a new identity costs the gallery's
 * budget, and so does a wrong password (limits/attempts.ts).
 */
export async function grantAccess(tdb: TenantDb, secret: string, pepper: string, galleryId: string, input: z.infer<typeof accessSchema>, current?: string) {
  const gallery = await galleryOpenToClients(tdb, galleryId);
  if (gallery.visibility === "password") {
    await checkAttempts(tdb, "password", gallery.id);
    const ok = input.password !== undefined && gallery.passwordHash !== null && (await verifyPassword(input.password, gallery.passwordHash, pepper));
    if (!ok) {
      await countAttempt(tdb, "password", gallery.id);
      throw new AppError("password_required", "password: is not this gallery's password");
    }
  }
  const known = await visitorFromToken(current, secret, tdb.tenantId, gallery);
  const email = input.email ?? known?.email ?? null;
  const name = input.name ?? known?.name ?? null;
  if (gallery.requireEmail && !(email && name)) {
    throw new AppError("email_required", `${name ? "email" : "name"}: this gallery asks for your name and email first.`);
  }
  if (!known) await countAttempt(tdb, "visitor", gallery.id);
  const who = { visitorId: known?.visitorId ?? newId("v"), name, email, invited: known?.invited ?? false };
  await recordVisit(tdb, gallery.id, who);
  return visitorToken(tdb, secret, gallery, who);
}

/** The visitor cookie's token: who this browser is in one gallery, under its access version. */
export async function visitorToken(tdb: TenantDb, secret: string, gallery: GalleryRow, who: Visitor) {
  const token = await new SignJWT({ gid: gallery.id, tid: tdb.tenantId, av: gallery.accessVersion, name: who.name, email: who.email, inv: who.invited })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(who.visitorId)
    .setIssuer("loupe")
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${VISITOR_TTL_SECONDS}s`)
    .sign(key(secret));
  return { token, maxAge: VISITOR_TTL_SECONDS, galleryId: gallery.id };
}

export const visitorCookieName = (galleryId: string) => `__Host-lv_${galleryId}`;
