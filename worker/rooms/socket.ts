// Opening a gallery room: the worker names the room from the tenant it already bound and the
// gallery in the path, and checks the room token before the Durable Object is touched. A refused
// socket is still opened and then closed with a reason code, because a browser's WebSocket API
// shows a close reason but never the status of a failed upgrade.
import type { Context } from "hono";
import { REFUSAL_CLOSE, verifyRoomToken } from "../../party/room-token";
import { galleryRow } from "../domain/galleries/view";
import type { AppEnv } from "../http/context";
import { AppError } from "../lib/errors";
import { roomStub } from "./signals";

const CONNECTION_ID = /^[\w-]{1,128}$/;

function closedSocket([code, reason]: [number, string]): Response {
  const { 0: client, 1: server } = new WebSocketPair();
  server.accept();
  server.close(code, reason);
  return new Response(null, { status: 101, webSocket: client });
}

export async function openRoom(c: Context<AppEnv>, galleryId: string): Promise<Response> {
  // Another studio's gallery, or one deleted since the ticket was issued, is simply not here.
  await galleryRow(c.get("tdb"), galleryId);
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
    throw new AppError("upgrade_required", "This address takes a WebSocket (Upgrade: websocket).");
  }
  // partyserver names the connection by `_pk` and tags the socket with it; the runtime refuses a
  // tag over 256 characters with an exception, so a made-up one is refused here.
  const pk = c.req.query("_pk");
  if (pk !== undefined && !CONNECTION_ID.test(pk)) throw new AppError("invalid_input", "_pk: must be 1 to 128 letters, digits, _ or -");
  const tenantId = c.get("tenant").id;
  const verdict = await verifyRoomToken(c.env.JWT_SECRET, c.req.query("token"), { tenantId, galleryId });
  if ("refused" in verdict) return closedSocket(REFUSAL_CLOSE[verdict.refused]);
  const room = await roomStub(c.env, tenantId, galleryId);
  const res = await room.fetch(c.req.raw);
  // A fresh Response: the middleware after us adds headers, and the room's are immutable.
  return new Response(res.body, { status: res.status, headers: new Headers(res.headers), webSocket: res.webSocket });
}
