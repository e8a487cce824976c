// Per-client invite links: the studio names a client once, and the link opens the gallery for
// them in one click — no password to type, and the same identity (lists, comments) on every
// device they open it on. A new password or visibility makes old links stop working.
import { type JWTPayload, jwtVerify, SignJWT } from "jose";
import { z } from "zod";
import type { ClientInvite } from "../../contract/galleries";
import type { TenantDb } from "../../db/tenant-db";
import { newId } from "../../lib/bytes";
import { AppError } from "../../lib/errors";
import { emailSchema } from "../accounts/schemas";
import { countAttempt } from "../limits/attempts";
import { galleryInvite } from "../mail/messages";
import { sendMail } from "../mail/outbox";
import { getProfile } from "../studios/profile";
import { galleryOpenToClients, visitorToken } from "./access";
import { galleryRow } from "./view";
import { recordInvite, recordVisit } from "./visitors";

const AUDIENCE = "loupe:gallery-invite";
const INVITE_TTL_SECONDS = 365 * 24 * 3600;
const key = (secret: string) => new TextEncoder().encode(secret);

export const clientInviteSchema = z
  .object({
    name: z.string({ required_error: "is required" }).trim().min(1, "is required").max(100, "must be at most 100 characters"),
    email: emailSchema.optional(),
  })
  .strict();

/** The link, mailed to the client when the studio gave an email. */
export async function createClientInvite(
  tdb: TenantDb,
  secret: string,
  galleryId: string,
  input: z.infer<typeof clientInviteSchema>,
  origin: string,
): Promise<ClientInvite> {
  const gallery = await galleryRow(tdb, galleryId);
  const visitorId = newId("v");
  const token = await new SignJWT({ gid: gallery.id, tid: tdb.tenantId, av: gallery.accessVersion, name: input.name, email: input.email ?? null })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(visitorId)
    .setIssuer("loupe")
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${INVITE_TTL_SECONDS}s`)
    .sign(key(secret));
  const path = `/g/${gallery.id}/i/${token}`;
  if (input.email) {
    // Counted before the link is made, so a refused invite leaves nothing behind.
    await countAttempt(tdb, "invites", "studio");
    await countAttempt(tdb, "mailTo", input.email.toLowerCase());
    const studio = await getProfile(tdb);
    await sendMail(tdb, galleryInvite(input.email, studio.name, gallery, input.name, `${origin}${path}`, visitorId));
  }
  await recordInvite(tdb, gallery.id, { visitorId, name: input.name, email: input.email ?? null });
  return { path, url: `${origin}${path}`, name: input.name, emailed: !!input.email };
}

/** The visitor token an invite link earns, if the link is still good for this gallery. */
export async function acceptClientInvite(tdb: TenantDb, secret: string, galleryId: string, token: string) {
  const gallery = await galleryOpenToClients(tdb, galleryId);
  const invalid = () => new AppError("invite_invalid", "This invite link no longer opens the gallery; ask the studio for a new one.");
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, key(secret), { algorithms: ["HS256"], issuer: "loupe", audience: AUDIENCE }));
  } catch {
    throw invalid();
  }
  if (payload.tid !== tdb.tenantId || payload.gid !== gallery.id || payload.av !== gallery.accessVersion || typeof payload.sub !== "string") throw invalid();
  const who = {
    visitorId: payload.sub,
    name: typeof payload.name === "string" ? payload.name : null,
    email: typeof payload.email === "string" ? payload.email : null,
    invited: true,
  };
  await recordVisit(tdb, gallery.id, who);
  return visitorToken(tdb, secret, gallery, who);
}
