// /api/studios/:studioId/galleries/*: galleries, their sets, photo order and watermark logo.
// Mounted behind requireSession + requireMember; owners and staff both work on galleries.

import { Hono } from "hono";
import type { ClientInviteResponse, GalleriesResponse, GalleryResponse, SetResponse } from "../contract/galleries";
import { servingOrigin } from "../domain/domains/domains";
import { createGallery, deleteGallery, galleryListQuery, listGalleries, updateGallery } from "../domain/galleries/galleries";
import { clientInviteSchema, createClientInvite } from "../domain/galleries/invites";
import { createGallerySchema, reorderSchema, setInputSchema, setPatchSchema, updateGallerySchema } from "../domain/galleries/schemas";
import { createSet, deleteSet, updateSet } from "../domain/galleries/sets";
import { galleryView } from "../domain/galleries/view";
import { setWatermarkLogo } from "../domain/galleries/watermark-changes";
import { MAX_LOGO_BYTES } from "../domain/photos/limits";
import { reorderPhotos, sortPhotos, sortSchema } from "../domain/photos/order";
import { binaryBody, bodyBytes } from "../http/binary";
import type { AppEnv } from "../http/context";
import { validate } from "../http/validate";
import { studioOrigin } from "../lib/origins";
import { studioRoomRoutes } from "../rooms/routes";
import { photoRoutes } from "./photos";
import { proofingRoutes } from "./proofing";
import { visitorRoutes } from "./visitors";

export const galleryRoutes = new Hono<AppEnv>();

galleryRoutes.get("/", validate("query", galleryListQuery), async (c) =>
  c.json((await listGalleries(c.get("tdb"), c.req.valid("query"))) satisfies GalleriesResponse),
);

galleryRoutes.post("/", validate("json", createGallerySchema), async (c) =>
  c.json({ gallery: await createGallery(c.get("tdb"), c.env.PASSWORD_PEPPER, c.req.valid("json")) } satisfies GalleryResponse, 201),
);

galleryRoutes.get("/:galleryId", async (c) => c.json({ gallery: await galleryView(c.get("tdb"), c.req.param("galleryId")) } satisfies GalleryResponse));

galleryRoutes.patch("/:galleryId", validate("json", updateGallerySchema), async (c) =>
  c.json({ gallery: await updateGallery(c.var, c.env.PASSWORD_PEPPER, c.req.param("galleryId"), c.req.valid("json")) } satisfies GalleryResponse),
);

galleryRoutes.delete("/:galleryId", async (c) => {
  await deleteGallery(c.var, c.req.param("galleryId"));
  return c.body(null, 204);
});

galleryRoutes.put("/:galleryId/watermark/logo", binaryBody(MAX_LOGO_BYTES, "The logo"), async (c) =>
  c.json({ gallery: await setWatermarkLogo({ ...c.var, images: c.env.IMAGES }, c.req.param("galleryId"), await bodyBytes(c)) } satisfies GalleryResponse),
);

galleryRoutes.post("/:galleryId/sets", validate("json", setInputSchema), async (c) =>
  c.json({ set: await createSet(c.get("tdb"), c.req.param("galleryId"), c.req.valid("json").name) } satisfies SetResponse, 201),
);

galleryRoutes.patch("/:galleryId/sets/:setId", validate("json", setPatchSchema), async (c) =>
  c.json({ set: await updateSet(c.get("tdb"), c.req.param("galleryId"), c.req.param("setId"), c.req.valid("json")) } satisfies SetResponse),
);

galleryRoutes.delete("/:galleryId/sets/:setId", async (c) => {
  await deleteSet(c.get("tdb"), c.req.param("galleryId"), c.req.param("setId"));
  return c.body(null, 204);
});

galleryRoutes.post("/:galleryId/photos/order", validate("json", reorderSchema), async (c) => {
  await reorderPhotos(c.get("tdb"), c.req.param("galleryId"), c.req.valid("json").photoIds);
  return c.body(null, 204);
});

galleryRoutes.post("/:galleryId/photos/sort", validate("json", sortSchema), async (c) => {
  await sortPhotos(c.get("tdb"), c.req.param("galleryId"), c.req.valid("json").by);
  return c.body(null, 204);
});

galleryRoutes.route("/:galleryId/photos", photoRoutes);
galleryRoutes.post("/:galleryId/invites", validate("json", clientInviteSchema), async (c) => {
  // A studio with its own domain hands out links on it.
  const origin = (await servingOrigin(c.get("directory"), c.get("tenant").id)) ?? studioOrigin(c.env, c.req.raw, c.get("tenant").slug);
  const invite = await createClientInvite(c.get("tdb"), c.env.JWT_SECRET, c.req.param("galleryId"), c.req.valid("json"), origin);
  return c.json({ invite } satisfies ClientInviteResponse, 201);
});

galleryRoutes.route("/", proofingRoutes);
galleryRoutes.route("/", visitorRoutes);
galleryRoutes.route("/", studioRoomRoutes);
