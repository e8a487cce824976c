// What a gallery room needs from outside itself: its gallery's photos and rules, and somewhere to
// copy applied intents. The room depends on this interface only; the worker implements it on the
// studio's D1 shard (worker/rooms/gallery-room.ts), tests may implement it any way they like.
import type { MirrorEntry } from "./outbox";

export interface RoomGallery {
  selection: { listsAllowed: boolean; minPerList: number | null; maxPerList: number | null };
  /** Client tokens of another access version (an older password) no longer open the room. */
  accessVersion: number;
  expiresAt: number | null;
}

export interface RoomBackend {
  /** The gallery as the room needs it, or null once it (or its studio) is gone. */
  gallery(): Promise<RoomGallery | null>;
  /**
   * One page of the gallery's photo ids, in a stable order, after `cursor` (null: the first).
   * The room reads them after it opened, so how many photos a gallery has never delays a client.
   */
  photoIds(cursor: string | null): Promise<{ ids: string[]; next: string | null }>;
  /** Whether the gallery has this photo: intents may name photos the room has not seen yet. */
  hasPhoto(photoId: string): Promise<boolean>;
  /** Which of these accounts are still members of the studio (photographers' sockets are checked while open). */
  members(accountIds: string[]): Promise<Set<string>>;
  /** Copies applied intents into the studio's data, in order and idempotently; false once the studio is gone. */
  mirror(entries: MirrorEntry[]): Promise<boolean>;
}
