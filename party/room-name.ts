// A room is named `<tenantId>:<galleryId>` by the worker, never by a client: the name is all a
// room knows of whose gallery it is.
export interface RoomId {
  tenantId: string;
  galleryId: string;
}

export function roomName(tenantId: string, galleryId: string): string {
  return `${tenantId}:${galleryId}`;
}

export function parseRoomName(name: string): RoomId {
  const [tenantId, galleryId, ...rest] = name.split(":");
  if (!tenantId || !galleryId || rest.length > 0) throw new Error(`not a room name: ${name}`);
  return { tenantId, galleryId };
}
