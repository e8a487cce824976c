// The one way the worker reaches a gallery's room: named from the studio the request (or job)
// already resolved and the gallery id, never from anything a client sends.
import { getServerByName } from "partyserver";
import { roomName } from "../../party/room-name";

export function roomStub(env: Env, tenantId: string, galleryId: string) {
  return getServerByName(env.GALLERY_ROOM, roomName(tenantId, galleryId));
}
