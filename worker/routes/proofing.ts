// /api/studios/:studioId/galleries/:galleryId/…: what live proofing left in the studio's data —
// selection export (JSON, CSV) and the activity feed. The room itself is worker/rooms.

import { Hono } from "hono";
import { z } from "zod";
import type { SelectionsResponse } from "../contract/proofing";
import { activityQuery, galleryActivity } from "../domain/proofing/activity";
import { gallerySelections, selectionsCsv, selectionsQuery } from "../domain/proofing/selections";
import type { AppEnv } from "../http/context";
import { validate } from "../http/validate";

export const proofingRoutes = new Hono<AppEnv>();

proofingRoutes.get("/:galleryId/selections", validate("query", selectionsQuery), async (c) =>
  c.json((await gallerySelections(c.get("tdb"), c.req.param("galleryId"), c.req.valid("query"))) satisfies SelectionsResponse),
);

const csvQuery = z.object({ list: z.string().min(1).max(64).optional() }).strict();

proofingRoutes.get("/:galleryId/selections.csv", validate("query", csvQuery), async (c) => {
  const galleryId = c.req.param("galleryId");
  const csv = await selectionsCsv(c.get("tdb"), galleryId, c.req.valid("query").list);
  return c.body(csv, 200, {
    "content-type": "text/csv; charset=utf-8",
    "content-disposition": `attachment; filename="selections-${galleryId}.csv"`,
    "cache-control": "private, no-store",
  });
});

proofingRoutes.get("/:galleryId/activity", validate("query", activityQuery), async (c) =>
  c.json(await galleryActivity(c.get("tdb"), c.req.param("galleryId"), c.req.valid("query"))),
);
