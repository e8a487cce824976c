// The ways into a gallery's room. Clients (studio host) get a ticket with the visitor token the
// gallery's access step set, which carries the name they gave; the studio (app host, behind the
// session and membership) gets one from its account. Either ticket's token opens the socket.
import { Hono } from "hono";
import { getCookie } from "hono/cookie";
import { visitorCookieName } from "../domain/galleries/access";
import type { AppEnv } from "../http/context";
import { openRoom } from "./socket";
import { photographerRoomTicket, visitorRoomTicket } from "./tickets";

/** Mounted on the studio host. */
export const clientRoomRoutes = new Hono<AppEnv>();

clientRoomRoutes.post("/g/:galleryId/room-token", async (c) => {
  const galleryId = c.req.param("galleryId");
  return c.json(await visitorRoomTicket(c.get("tdb"), c.env.JWT_SECRET, galleryId, getCookie(c, visitorCookieName(galleryId))));
});

clientRoomRoutes.get("/g/:galleryId/room", (c) => openRoom(c, c.req.param("galleryId")));

/** Mounted under /api/studios/:studioId/galleries on the app host. */
export const studioRoomRoutes = new Hono<AppEnv>();

studioRoomRoutes.post("/:galleryId/room-token", async (c) =>
  c.json(await photographerRoomTicket(c.get("tdb"), c.get("directory"), c.env.JWT_SECRET, c.req.param("galleryId"), c.get("session").accountId)),
);

studioRoomRoutes.get("/:galleryId/room", (c) => openRoom(c, c.req.param("galleryId")));
