// How the worker reaches a gallery's room, and what it tells it: a photo became ready, or the
// gallery changed (its selection rules, its access, or it was deleted).
import { getServerByName } from "partyserver";
import { roomName } from "../../party/room-name";
import type { PhotoView } from "../contract/photos";

/** Named from the studio the request (or job) resolved and the gallery id, never from a client. */
export function roomStub(env: Env, tenantId: string, galleryId: string) {
  return getServerByName(env.GALLERY_ROOM, roomName(tenantId, galleryId));
}

async function signal(env: Env, tenantId: string, galleryId: string, path: string, body: unknown): Promise<void> {
  try {
    const room = await roomStub(env, tenantId, galleryId);
    await room.fetch(
      new Request(`https://room.internal/internal/${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
    );
  } catch (err) {
    // A room that cannot be told is not a failed request: it reads D1 again when it next loads.
    console.warn(JSON.stringify({ level: "warn", msg: "room signal failed", path, galleryId, error: String(err) }));
  }
}

/** Open browsers show the photo at once. */
export function notifyPhotoReady(env: Env, tenantId: string, galleryId: string, photo: PhotoView): Promise<void> {
  return signal(env, tenantId, galleryId, "photo-ready", { type: "photo-ready", photo });
}

/** What domain code gets to tell rooms of its own tenant. */
export class RoomSignals {
  constructor(
    private readonly env: Env,
    private readonly tenantId: string,
  ) {}

  /** The room reads its gallery again: rules, access, or that it is gone. */
  galleryChanged(galleryId: string): Promise<void> {
    return signal(this.env, this.tenantId, galleryId, "gallery-changed", { type: "gallery-changed" });
  }
}
