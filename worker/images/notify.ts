// The hook from the pipeline to live rooms: a photo became ready, so every open browser in that
// gallery can show it at once. The room is named by the worker, never by a client.
import { getServerByName } from "partyserver";

export function roomName(tenantId: string, galleryId: string): string {
  return `${tenantId}:${galleryId}`;
}

export async function notifyPhotoReady(env: Env, tenantId: string, galleryId: string, photo: { id: string; [k: string]: unknown }): Promise<void> {
  try {
    const room = await getServerByName(env.GALLERY_ROOM, roomName(tenantId, galleryId));
    await room.fetch(new Request("https://room.internal/internal/photo-ready", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ type: "photo-ready", photo }),
    }));
  } catch (err) {
    // A room that cannot be told is not a failed photo: browsers also see it on their next load.
    console.warn(JSON.stringify({ level: "warn", msg: "room notification failed", galleryId, error: String(err) }));
  }
}
