// Proofing as the API shows it: room tickets, selections for export and the activity feed.
// Types only; the room's document itself is party/doc.ts.
import type { Actor, ListEntry } from "../../party/doc";

/** A room token and where its socket goes, relative to the host that issued it. */
import type { Page } from "./paging";

export interface RoomTicket {
  token: string;
  expiresIn: number;
  actor: Actor;
  path: string;
}

/** A client's list as the room keeps it, with what was picked into it, in gallery order. */
export interface SelectionExport extends ListEntry {
  count: number;
  photos: { id: string; filename: string; pickedAt: number }[];
  filenames: string[];
  /** For Lightroom's Library filter (Text › Filename › Contains). */
  lightroom: string;
}

/** Oldest list first; `next` is the cursor of the page after this one, or null. */
export type SelectionsResponse = Page<"lists", SelectionExport>;

export interface ActivityItem {
  id: string;
  type: string;
  at: number;
  actor: { id: string; name: string; role: Actor["role"] };
  listId: string | null;
  commentId: string | null;
  photo: { id: string; filename: string | null } | null;
  detail: Record<string, unknown>;
}

/** Newest first; `next` is the cursor of the page after this one, or null. */
export type ActivityPage = Page<"activity", ActivityItem>;
