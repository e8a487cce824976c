// /api/studios/:studioId/galleries/:galleryId/…: the photographer's side of live proofing — a
// room ticket and socket, selection export (JSON, CSV) and the activity feed.
import { Hono } from "hono";
import { z } from "zod";
import { activityQuery, galleryActivity } from "../domain/proofing/activity";
import { photographerRoomTicket } from "../domain/proofing/room-access";
import { gallerySelections, selectionsCsv } from "../domain/proofing/selections";
import type { AppEnv } from "../http/context";
import { openRoom } from "../http/room-socket";
import { validate } from "../http/validate";

export const proofingRoutes = new Hono<AppEnv>();

proofingRoutes.post("/:galleryId/room-token", async (c) =>
  c.json(await photographerRoomTicket(c.get("tdb"), c.get("directory"), c.env.JWT_SECRET, c.req.param("galleryId"), c.get("session").accountId)),
);

proofingRoutes.get("/:galleryId/room", (c) => openRoom(c, c.req.param("galleryId")));

proofingRoutes.get("/:galleryId/selections", async (c) => c.json({ lists: await gallerySelections(c.get("tdb"), c.req.param("galleryId")) }));

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
