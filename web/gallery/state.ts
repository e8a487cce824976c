// What the page shows, read from the room's document with this browser's unanswered intents laid
// over it, so a pick made on the train shows at once and stays shown until the room answers.
import { type CommentEntry, hasPick, type ListEntry, pickCounts, picksOf, type Settings, settingsOf } from "../../party/doc";
import type { Room } from "../lib/room";

export interface Person {
  id: string;
  name: string;
  role: string;
  viewing: string | null;
}

export class View {
  constructor(private readonly room: Room) {}

  get settings(): Settings {
    return settingsOf(this.room.doc);
  }

  #pending() {
    return [...this.room.pending.values()].sort((a, b) => a.seq - b.seq).map((p) => p.intent);
  }

  myLists(): ListEntry[] {
    const me = this.room.me?.id;
    const lists = new Map([...this.room.doc.getMap<ListEntry>("lists").values()].filter((l) => l.ownerId === me).map((l) => [l.id, l]));
    for (const i of this.#pending()) {
      if (i.type === "list.create" && !lists.has(i.listId as string)) {
        lists.set(i.listId as string, {
          id: i.listId as string,
          name: i.name as string,
          ownerId: me ?? "",
          ownerName: "",
          createdAt: Date.now(),
          submittedAt: null,
        });
      }
      if (i.type === "list.delete") lists.delete(i.listId as string);
    }
    return [...lists.values()].sort((a, b) => a.createdAt - b.createdAt);
  }

  picked(listId: string, photoId: string): boolean {
    let on = hasPick(this.room.doc, listId, photoId);
    for (const i of this.#pending()) {
      if (i.listId === listId && i.photoId === photoId) on = i.type === "pick" ? true : i.type === "unpick" ? false : on;
    }
    return on;
  }

  pickedIds(listId: string): Set<string> {
    const ids = new Set(picksOf(this.room.doc, listId));
    for (const i of this.#pending()) {
      if (i.listId !== listId) continue;
      if (i.type === "pick") ids.add(i.photoId as string);
      if (i.type === "unpick") ids.delete(i.photoId as string);
    }
    return ids;
  }

  /** How many lists, of everyone in the gallery, hold each photo: read once per redraw. */
  pickCounts(): Map<string, number> {
    return pickCounts(this.room.doc);
  }

  comments(photoId: string): (CommentEntry & { pending?: boolean })[] {
    const all: (CommentEntry & { pending?: boolean })[] = [...this.room.doc.getMap<CommentEntry>("comments").values()].filter((c) => c.photoId === photoId);
    for (const i of this.#pending()) {
      if (i.type === "comment.add" && i.photoId === photoId && !all.some((c) => c.id === i.commentId)) {
        all.push({
          id: i.commentId as string,
          photoId,
          authorId: this.room.me?.id ?? "",
          authorName: this.room.me?.name ?? "You",
          text: i.text as string,
          at: Date.now(),
          editedAt: null,
          resolved: false,
          replyTo: (i.replyTo as string | undefined) ?? null,
          pending: true,
        });
      }
    }
    return all.sort((a, b) => a.at - b.at);
  }

  /** How many comments each photo has: read once per redraw. */
  commentCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const c of this.room.doc.getMap<CommentEntry>("comments").values()) counts.set(c.photoId, (counts.get(c.photoId) ?? 0) + 1);
    return counts;
  }

  /** Everyone here now, one entry per person, with the photo each has open. */
  people(): Person[] {
    const byId = new Map<string, Person>();
    // The room rewrites everyone's state but ours comes back unapplied (same client id): we are
    // who the room token says, viewing what we have open.
    const me = this.room.me;
    if (me) byId.set(me.id, { ...me, viewing: (this.room.awareness.getLocalState() as { viewing?: string | null } | null)?.viewing ?? null });
    for (const [clientId, state] of this.room.awareness.getStates()) {
      if (clientId === this.room.doc.clientID) continue;
      const s = state as { user?: { id: string; name: string; role: string }; viewing?: string | null };
      if (!s.user) continue;
      const seen = byId.get(s.user.id);
      if (s.user.id === me?.id) continue;
      byId.set(s.user.id, { ...s.user, viewing: s.viewing ?? seen?.viewing ?? null });
    }
    return [...byId.values()];
  }
}
