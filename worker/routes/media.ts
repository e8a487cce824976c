// Studio host: gallery access, derivatives to look at, and downloads by signed link.

import { Hono } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { AccessGranted } from "../contract/galleries";
import type { ZipPlan } from "../contract/visitors";
import { planZip, zipSchema } from "../domain/downloads/zip-plan";
import { openZipPart } from "../domain/downloads/zip-stream";
import { accessSchema, galleryAndVisitor, galleryForVisitor, grantAccess, visitorCookieName } from "../domain/galleries/access";
import { acceptClientInvite } from "../domain/galleries/invites";
import { derivative, downloadLink, downloadSchema, openDownload, thumbnail } from "../domain/photos/serve";
import { attachment, objectResponse } from "../http/binary";
import type { AppEnv } from "../http/context";
import { guessLimit } from "../http/rate-limit";
import { validate } from "../http/validate";

const variantOf = (file: string) => (file === "thumb.jpg" ? "thumb" : "preview");

export const mediaRoutes = new Hono<AppEnv>();

// Passwords and PINs are short: guessing is budgeted per IP (and PBKDF2 makes each guess cost).
mediaRoutes.post("/g/:galleryId/access", guessLimit("gallery-password", "password attempts"), validate("json", accessSchema), async (c) => {
  const galleryId = c.req.param("galleryId");
  const current = getCookie(c, visitorCookieName(galleryId));
  const grant = await grantAccess(c.get("tdb"), c.env.JWT_SECRET, c.env.PASSWORD_PEPPER, galleryId, c.req.valid("json"), current);
  setCookie(c, visitorCookieName(galleryId), grant.token, { path: "/", secure: true, httpOnly: true, sameSite: "Lax", maxAge: grant.maxAge });
  return c.json({ ok: true, galleryId } satisfies AccessGranted);
});

// A client's invite link: sets the visitor cookie it earns, then shows the gallery.
mediaRoutes.get("/g/:galleryId/i/:token", async (c) => {
  const galleryId = c.req.param("galleryId");
  const grant = await acceptClientInvite(c.get("tdb"), c.env.JWT_SECRET, galleryId, c.req.param("token"));
  setCookie(c, visitorCookieName(galleryId), grant.token, { path: "/", secure: true, httpOnly: true, sameSite: "Lax", maxAge: grant.maxAge });
  return c.redirect(`/g/${galleryId}`, 302);
});

mediaRoutes.get("/media/:galleryId/:photoId/:file{(thumb|preview)\\.jpg}", async (c) => {
  const { galleryId, photoId } = c.req.param();
  const variant = variantOf(c.req.param("file"));
  // Access and the object are read together; a refusal still wins, as Promise.all rejects.
  const [gallery, obj] = await Promise.all([
    galleryForVisitor(c.get("tdb"), c.env.JWT_SECRET, galleryId, getCookie(c, visitorCookieName(galleryId))),
    variant === "thumb" ? thumbnail(c.get("media"), galleryId, photoId) : derivative(c.get("tdb"), c.get("media"), galleryId, photoId, variant),
  ]);
  // URLs carry the render version, so a given URL never changes content.
  const scope = gallery.visibility === "password" ? "private" : "public";
  return objectResponse(c, obj, c.req.query("v") ? `${scope}, max-age=31536000, immutable` : `${scope}, no-cache`);
});

mediaRoutes.post("/media/:galleryId/:photoId/download", guessLimit("download", "download requests"), validate("json", downloadSchema), async (c) => {
  const { galleryId, photoId } = c.req.param();
  const { gallery, visitor } = await galleryAndVisitor(c.get("tdb"), c.env.JWT_SECRET, galleryId, getCookie(c, visitorCookieName(galleryId)));
  return c.json(await downloadLink(c.get("tdb"), c.env.JWT_SECRET, c.env.PASSWORD_PEPPER, gallery, visitor, photoId, c.req.valid("json")));
});

// "Download all": the plan (rights checked, count spent, history written) and then each part.
mediaRoutes.post("/g/:galleryId/zip", guessLimit("download", "download requests"), validate("json", zipSchema), async (c) => {
  const galleryId = c.req.param("galleryId");
  const { gallery, visitor } = await galleryAndVisitor(c.get("tdb"), c.env.JWT_SECRET, galleryId, getCookie(c, visitorCookieName(galleryId)));
  const deps = { tdb: c.get("tdb"), secret: c.env.JWT_SECRET, pepper: c.env.PASSWORD_PEPPER };
  return c.json((await planZip(deps, gallery, visitor, c.req.valid("json"))) satisfies ZipPlan, 201);
});

mediaRoutes.get("/zip/:token", guessLimit("download", "download requests"), async (c) => {
  const deps = { tdb: c.get("tdb"), media: c.get("media"), images: c.env.IMAGES, secret: c.env.JWT_SECRET };
  const part = await openZipPart(deps, c.req.param("token"));
  return attachment({ body: part.body, filename: part.filename, contentType: "application/zip", size: null });
});

// A link can be fetched again while it lasts (a dropped download starts over): per IP, so one
// leaked link cannot be fetched without end.
mediaRoutes.get("/dl/:token", guessLimit("fetch", "downloads"), async (c) => {
  return attachment(await openDownload(c.get("tdb"), c.get("media"), c.env.IMAGES, c.env.JWT_SECRET, c.req.param("token")));
});
