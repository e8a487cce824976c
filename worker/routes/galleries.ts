// /api/studios/:studioId/galleries/*: galleries, their sets, photo order and watermark logo.
// Mounted behind requireSession + requireMember; owners and staff both work on galleries.
import { Hono } from "hono";
import { createGallery, deleteGallery, getGallery, listGalleries, updateGallery } from "../domain/galleries/galleries";
import { clientInviteSchema, createClientInvite } from "../domain/galleries/invites";
import { createGallerySchema, reorderSchema, setInputSchema, setPatchSchema, updateGallerySchema } from "../domain/galleries/schemas";
import { createSet, deleteSet, reorderPhotos, updateSet } from "../domain/galleries/sets";
import { setWatermarkLogo } from "../domain/galleries/watermark";
import { MAX_LOGO_BYTES } from "../domain/photos/limits";
import { binaryBody, bodyBytes } from "../http/binary";
import type { AppEnv } from "../http/context";
import { studioOrigin } from "../http/host";
import { validate } from "../http/validate";
import { photoRoutes } from "./photos";
import { proofingRoutes } from "./proofing";

export const galleryRoutes = new Hono<AppEnv>();

galleryRoutes.get("/", async (c) => c.json({ galleries: await listGalleries(c.get("tdb")) }));

galleryRoutes.post("/", validate("json", createGallerySchema), async (c) =>
  c.json({ gallery: await createGallery(c.get("tdb"), c.env.PASSWORD_PEPPER, c.req.valid("json")) }, 201),
);

galleryRoutes.get("/:galleryId", async (c) => c.json({ gallery: await getGallery(c.get("tdb"), c.req.param("galleryId")) }));

galleryRoutes.patch("/:galleryId", validate("json", updateGallerySchema), async (c) =>
  c.json({ gallery: await updateGallery(c.var, c.env.PASSWORD_PEPPER, c.req.param("galleryId"), c.req.valid("json")) }),
);

galleryRoutes.delete("/:galleryId", async (c) => {
  await deleteGallery(c.var, c.req.param("galleryId"));
  return c.body(null, 204);
});

galleryRoutes.put("/:galleryId/watermark/logo", binaryBody(MAX_LOGO_BYTES, "The logo"), async (c) =>
  c.json({ gallery: await setWatermarkLogo(c.var, c.req.param("galleryId"), await bodyBytes(c)) }),
);

galleryRoutes.post("/:galleryId/sets", validate("json", setInputSchema), async (c) =>
  c.json({ set: await createSet(c.get("tdb"), c.req.param("galleryId"), c.req.valid("json").name) }, 201),
);

galleryRoutes.patch("/:galleryId/sets/:setId", validate("json", setPatchSchema), async (c) =>
  c.json({ set: await updateSet(c.get("tdb"), c.req.param("galleryId"), c.req.param("setId"), c.req.valid("json")) }),
);

galleryRoutes.delete("/:galleryId/sets/:setId", async (c) => {
  await deleteSet(c.get("tdb"), c.req.param("galleryId"), c.req.param("setId"));
  return c.body(null, 204);
});

galleryRoutes.post("/:galleryId/photos/order", validate("json", reorderSchema), async (c) => {
  await reorderPhotos(c.get("tdb"), c.req.param("galleryId"), c.req.valid("json").photoIds);
  return c.body(null, 204);
});

galleryRoutes.route("/:galleryId/photos", photoRoutes);
galleryRoutes.post("/:galleryId/invites", validate("json", clientInviteSchema), async (c) => {
  const origin = studioOrigin(c.env, c.req.raw, c.get("tenant").slug);
  return c.json({ invite: await createClientInvite(c.get("tdb"), c.env.JWT_SECRET, c.req.param("galleryId"), c.req.valid("json"), origin) }, 201);
});

galleryRoutes.route("/", proofingRoutes);
