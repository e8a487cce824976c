// Studio host: a client's way into a gallery's live room. The ticket needs the visitor token the
// access step set (it carries the name the client gave); the socket needs the ticket's token.
import { Hono } from "hono";
import { getCookie } from "hono/cookie";
import { visitorCookieName } from "../domain/galleries/access";
import { visitorRoomTicket } from "../domain/proofing/room-access";
import type { AppEnv } from "../http/context";
import { openRoom } from "../http/room-socket";

export const roomRoutes = new Hono<AppEnv>();

roomRoutes.post("/g/:galleryId/room-token", async (c) => {
  const galleryId = c.req.param("galleryId");
  return c.json(await visitorRoomTicket(c.get("tdb"), c.env.JWT_SECRET, galleryId, getCookie(c, visitorCookieName(galleryId))));
});

roomRoutes.get("/g/:galleryId/room", (c) => openRoom(c, c.req.param("galleryId")));
