// The studio website on <slug>.<root> and custom domains.

import { Hono } from "hono";
import { getCookie } from "hono/cookie";
import type { ClientPhotosResponse } from "../contract/galleries";
import { visitorCookieName } from "../domain/galleries/access";
import { clientGalleryView, clientPhotosQuery, listedGalleries, listedQuery, visitorPhotos } from "../domain/galleries/client-view";
import { brandObject } from "../domain/studios/branding";
import { contactSchema, receiveContact } from "../domain/studios/contact";
import { getProfile } from "../domain/studios/profile";
import { objectResponse } from "../http/binary";
import type { AppEnv } from "../http/context";
import { resolveStudio } from "../http/host";
import { guessLimit } from "../http/rate-limit";
import { validate } from "../http/validate";
import { AppError } from "../lib/errors";
import { appOrigin } from "../lib/origins";
import { GalleryAccessPage, GalleryPage } from "../pages/gallery";
import { StudioHome } from "../pages/studio-home";
import { clientRoomRoutes } from "../rooms/routes";
import { mediaRoutes } from "./media";
import { shopRoutes } from "./shop";

export const siteRoutes = new Hono<AppEnv>();
siteRoutes.use("*", resolveStudio);

siteRoutes.get("/", validate("query", listedQuery), async (c) => {
  const [profile, listed] = await Promise.all([getProfile(c.get("tdb")), listedGalleries(c.get("tdb"), c.req.valid("query").more)]);
  return c.html(<StudioHome profile={profile} galleries={listed.galleries} more={listed.next} />);
});

// A brand file's name changes with each upload: it can be cached for good.
siteRoutes.get("/brand/:file", async (c) => objectResponse(c, await brandObject(c.var, c.req.param("file")), "public, max-age=31536000, immutable"));

siteRoutes.get("/g/:galleryId", async (c) => {
  const galleryId = c.req.param("galleryId");
  const profile = await getProfile(c.get("tdb"));
  try {
    const gallery = await clientGalleryView(c.get("tdb"), c.env.JWT_SECRET, galleryId, getCookie(c, visitorCookieName(galleryId)));
    return c.html(<GalleryPage studioName={profile.name} accent={profile.accentColor} logoFile={profile.logoFile} gallery={gallery} />);
  } catch (err) {
    if (err instanceof AppError && (err.code === "password_required" || err.code === "email_required")) {
      const asks = ((err.extra.details ?? []) as { field: string }[]).map((d) => d.field);
      return c.html(<GalleryAccessPage studioName={profile.name} galleryId={galleryId} asks={asks} />, 401);
    }
    throw err;
  }
});

siteRoutes.get("/g/:galleryId/photos", validate("query", clientPhotosQuery), async (c) => {
  const galleryId = c.req.param("galleryId");
  const page = await visitorPhotos(c.get("tdb"), c.env.JWT_SECRET, galleryId, getCookie(c, visitorCookieName(galleryId)), c.req.valid("query"));
  return c.json(page satisfies ClientPhotosResponse);
});

// Contact messages cost a row each: budgeted per IP like other unauthenticated writes.
siteRoutes.post("/contact", guessLimit("contact", "messages"), validate("json", contactSchema), async (c) =>
  c.json(await receiveContact(c.get("tdb"), c.req.valid("json"), appOrigin(c.env, c.req.raw)), 201),
);

siteRoutes.route("/", mediaRoutes);
siteRoutes.route("/", clientRoomRoutes);
siteRoutes.route("/", shopRoutes);
