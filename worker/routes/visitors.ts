// Dashboard: who visited a gallery, and what its clients downloaded.
import { Hono } from "hono";
import type { DownloadsResponse, VisitorsResponse } from "../contract/visitors";
import { downloadHistory } from "../domain/downloads/history";
import { listQuery, visitorList } from "../domain/galleries/visitors";
import type { AppEnv } from "../http/context";
import { validate } from "../http/validate";

export const visitorRoutes = new Hono<AppEnv>();

visitorRoutes.get("/:galleryId/visitors", validate("query", listQuery), async (c) =>
  c.json((await visitorList(c.get("tdb"), c.req.param("galleryId"), c.req.valid("query"))) satisfies VisitorsResponse),
);

visitorRoutes.get("/:galleryId/downloads", validate("query", listQuery), async (c) =>
  c.json((await downloadHistory(c.get("tdb"), c.req.param("galleryId"), c.req.valid("query"))) satisfies DownloadsResponse),
);
