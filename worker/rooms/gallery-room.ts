// The Durable Object class wrangler.toml binds as GALLERY_ROOM: the room's logic (party/) on the
// studio's D1 data. Hibernation is set here, on the final class, as y-partyserver reads it.
import { GalleryRoomCore } from "../../party/gallery-room";
import type { RoomId } from "../../party/room-name";
import { D1RoomBackend } from "./backend";

export class GalleryRoom extends GalleryRoomCore {
  static override options = { hibernate: true };

  protected override openBackend(room: RoomId) {
    return new D1RoomBackend(this.env, room);
  }
}
