// /api/studios/:studioId/galleries/:galleryId/photos/*: uploads (master, then the original in
// resumable parts), listing, moving, deleting and retrying photos, and their derivatives.
import { Hono } from "hono";
import { z } from "zod";
import type { PhotoResponse, PhotosResponse } from "../contract/photos";
import { MAX_MASTER_BYTES, PART_SIZE } from "../domain/photos/limits";
import { deletePhoto, listPhotos, photoListQuery, photoPatchSchema, retryPhoto, updatePhoto } from "../domain/photos/photos";
import { derivative } from "../domain/photos/serve";
import { completeOriginal, createPhoto, listOriginalParts, newPhotoSchema, putMaster, putOriginalPart } from "../domain/photos/upload";
import { binaryBody, bodyBytes, objectResponse } from "../http/binary";
import type { AppEnv } from "../http/context";
import { validate } from "../http/validate";

export const photoRoutes = new Hono<AppEnv>();
// Mounted under /:galleryId, which Hono's types for this sub-app cannot see.
const galleryIdOf = (c: { req: { param: (k: string) => string | undefined } }) => c.req.param("galleryId")!;

photoRoutes.get("/", validate("query", photoListQuery), async (c) =>
  c.json((await listPhotos(c.get("tdb"), galleryIdOf(c), c.req.valid("query"))) satisfies PhotosResponse),
);

photoRoutes.post("/", validate("json", newPhotoSchema), async (c) => {
  return c.json(await createPhoto(c.var, galleryIdOf(c), c.req.valid("json")), 201);
});

photoRoutes.put("/:photoId/master", binaryBody(MAX_MASTER_BYTES, "The master"), async (c) => {
  return c.json({ photo: await putMaster(c.var, galleryIdOf(c), c.req.param("photoId"), await bodyBytes(c)) } satisfies PhotoResponse);
});

photoRoutes.get("/:photoId/original/parts", async (c) => c.json(await listOriginalParts(c.var, galleryIdOf(c), c.req.param("photoId"))));

photoRoutes.put(
  "/:photoId/original/parts/:partNumber",
  validate("param", z.object({ partNumber: z.coerce.number().int().min(1).max(10_000) }).passthrough()),
  binaryBody(PART_SIZE, "A part"),
  async (c) => c.json(await putOriginalPart(c.var, galleryIdOf(c), c.req.param("photoId"), c.req.valid("param").partNumber, await bodyBytes(c))),
);

photoRoutes.post("/:photoId/original/complete", async (c) =>
  c.json({ photo: await completeOriginal(c.var, galleryIdOf(c), c.req.param("photoId")) } satisfies PhotoResponse),
);

photoRoutes.patch("/:photoId", validate("json", photoPatchSchema), async (c) =>
  c.json({ photo: await updatePhoto(c.get("tdb"), galleryIdOf(c), c.req.param("photoId"), c.req.valid("json")) } satisfies PhotoResponse),
);

photoRoutes.delete("/:photoId", async (c) => {
  await deletePhoto(c.var, galleryIdOf(c), c.req.param("photoId"));
  return c.body(null, 204);
});

photoRoutes.post("/:photoId/retry", async (c) => c.json({ photo: await retryPhoto(c.var, galleryIdOf(c), c.req.param("photoId")) } satisfies PhotoResponse));

photoRoutes.get("/:photoId/:file{(thumb|preview)\\.jpg}", async (c) => {
  const variant = c.req.param("file") === "thumb.jpg" ? "thumb" : "preview";
  const obj = await derivative(c.get("tdb"), c.get("media"), galleryIdOf(c), c.req.param("photoId"), variant);
  // A versioned URL (?v=, from the photo's urls) never changes content, so the dashboard's grid
  // can keep it; a bare URL revalidates.
  return objectResponse(c, obj, c.req.query("v") ? "private, max-age=31536000, immutable" : "private, no-cache");
});
