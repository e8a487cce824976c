// The gallery document and the intents that change it, shared by the room (which applies them)
// and the browser (which sends them and renders the document). Browsers never write the Yjs
// document; the room validates each intent against the actor named in its room token, then
// applies it here in one transaction.
import * as Y from "yjs";
import { z } from "zod";
import { textProblem } from "../worker/contract/text";

// What one person may keep in a gallery's room: every later visitor downloads it all.
export const LIMITS = { listName: 60, comment: 2000, listsPerPerson: 20, commentsPerPerson: 200, commentCharsPerPerson: 40_000 } as const;

export interface Actor {
  id: string;
  name: string;
  role: "client" | "photographer";
}

export interface ListEntry {
  id: string;
  name: string;
  ownerId: string;
  ownerName: string;
  createdAt: number;
  submittedAt: number | null;
  /** When the photographer last reopened it: a list reopened after the due date stays open past it. */
  reopenedAt?: number | null;
}

/** A pick as the mirror and the export see it; the document itself keeps only the photo id per list. */
export interface PickEntry {
  listId: string;
  photoId: string;
  by: string;
  at: number;
}

/** One list's picks: photo id → true. */
export type ListPicks = Y.Map<true>;

export interface CommentEntry {
  id: string;
  photoId: string;
  authorId: string;
  authorName: string;
  text: string;
  at: number;
  editedAt: number | null;
  resolved: boolean;
  /** The comment this one answers (always a thread's first comment); absent or null: it starts a thread. */
  replyTo?: string | null;
}

export interface Settings {
  locked: boolean;
  listsAllowed: boolean;
  minPerList: number | null;
  maxPerList: number | null;
  /** The gallery's selection due date, and whether clients' lists freeze then. */
  dueAt: number | null;
  lockAtDue: boolean;
}

/** Whether the due date has closed the selection for clients at `now`. */
export const pastDue = (s: Pick<Settings, "dueAt" | "lockAtDue">, now: number) => s.lockAtDue && s.dueAt !== null && now >= s.dueAt;

const key = z
  .string()
  .min(4, "is too short")
  .max(64, "is too long")
  .regex(/^[\w-]+$/, "may use letters, digits, _ and - only");
const plain = (s: string, ctx: z.RefinementCtx) => {
  const problem = textProblem(s);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
};
const name = z.string().trim().min(1, "is required").max(LIMITS.listName, `must be at most ${LIMITS.listName} characters`).superRefine(plain);
const text = z.string().trim().min(1, "is required").max(LIMITS.comment, `must be at most ${LIMITS.comment} characters`).superRefine(plain);
const limit = z.number().int().min(0).max(10_000).nullable();

export const intentSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("list.create"), id: key, listId: key, name }).strict(),
  z.object({ type: z.literal("list.rename"), id: key, listId: key, name }).strict(),
  z.object({ type: z.literal("list.delete"), id: key, listId: key }).strict(),
  z.object({ type: z.literal("list.submit"), id: key, listId: key }).strict(),
  // The photographer's: a submitted list becomes the client's to change again.
  z.object({ type: z.literal("list.reopen"), id: key, listId: key }).strict(),
  z.object({ type: z.literal("pick"), id: key, listId: key, photoId: key }).strict(),
  z.object({ type: z.literal("unpick"), id: key, listId: key, photoId: key }).strict(),
  z.object({ type: z.literal("comment.add"), id: key, commentId: key, photoId: key, text, replyTo: key.optional() }).strict(),
  z.object({ type: z.literal("comment.edit"), id: key, commentId: key, text }).strict(),
  z.object({ type: z.literal("comment.delete"), id: key, commentId: key }).strict(),
  // The photographer's.
  z.object({ type: z.literal("comment.resolve"), id: key, commentId: key, resolved: z.boolean() }).strict(),
  z.object({ type: z.literal("selection.lock"), id: key, locked: z.boolean() }).strict(),
  z.object({ type: z.literal("limits.set"), id: key, minPerList: limit, maxPerList: limit }).strict(),
]);
export type Intent = z.infer<typeof intentSchema>;

export type RejectCode =
  | "invalid_intent"
  | "forbidden"
  | "selection_locked"
  | "no_such_list"
  | "not_owner"
  | "list_exists"
  | "too_many_lists"
  | "lists_not_allowed"
  | "list_submitted"
  | "list_full"
  | "too_few_picks"
  | "no_such_photo"
  | "no_such_comment"
  | "not_author"
  | "comment_exists"
  | "invalid_limits"
  | "rate_limited"
  | "unavailable"
  | "too_many_comments"
  | "room_full"
  | "daily_limit";

export type Outcome = { ok: true } | { ok: false; code: RejectCode; message: string };

export function roots(doc: Y.Doc) {
  return {
    lists: doc.getMap<ListEntry>("lists"),
    // Per list, so a pick is one small entry (the list and its owner are said once, above it) and a
    // list's picks are read without walking everyone's: a 300-guest room stays a few hundred KB.
    picked: doc.getMap<ListPicks>("picked"),
    comments: doc.getMap<CommentEntry>("comments"),
    settings: doc.getMap<Settings[keyof Settings]>("settings"),
  };
}

export function settingsOf(doc: Y.Doc): Settings {
  const s = roots(doc).settings;
  return {
    locked: (s.get("locked") as boolean | undefined) ?? false,
    listsAllowed: (s.get("listsAllowed") as boolean | undefined) ?? true,
    minPerList: (s.get("minPerList") as number | null | undefined) ?? null,
    maxPerList: (s.get("maxPerList") as number | null | undefined) ?? null,
    dueAt: (s.get("dueAt") as number | null | undefined) ?? null,
    lockAtDue: (s.get("lockAtDue") as boolean | undefined) ?? false,
  };
}

/** The photo ids picked into a list, in the order they were picked. */
export function picksOf(doc: Y.Doc, listId: string): string[] {
  return [...(roots(doc).picked.get(listId)?.keys() ?? [])];
}

export function hasPick(doc: Y.Doc, listId: string, photoId: string): boolean {
  return roots(doc).picked.get(listId)?.has(photoId) ?? false;
}

export function pickCount(doc: Y.Doc, listId: string): number {
  return roots(doc).picked.get(listId)?.size ?? 0;
}

/** How many lists hold each photo, everyone's together. */
export function pickCounts(doc: Y.Doc): Map<string, number> {
  const counts = new Map<string, number>();
  for (const list of roots(doc).picked.values()) for (const photoId of list.keys()) counts.set(photoId, (counts.get(photoId) ?? 0) + 1);
  return counts;
}

export function addPick(doc: Y.Doc, listId: string, photoId: string): void {
  const { picked } = roots(doc);
  let list = picked.get(listId);
  if (!list) {
    list = new Y.Map<true>();
    picked.set(listId, list);
  }
  list.set(photoId, true);
}

export function removePick(doc: Y.Doc, listId: string, photoId: string): void {
  roots(doc).picked.get(listId)?.delete(photoId);
}

/**
 * Rooms made before picks were kept per list had one entry per pick under "picks", keyed
 * `list/photo`: moved into the per-list maps once, when such a room loads. True if anything moved.
 */
export function migratePicks(doc: Y.Doc): boolean {
  const old = doc.getMap<PickEntry>("picks");
  if (old.size === 0) return false;
  doc.transact(() => {
    for (const p of old.values()) addPick(doc, p.listId, p.photoId);
    old.clear();
  }, "migration");
  return true;
}

/** Parses a frame from a browser into an intent, or says what is wrong with it. */
export function parseIntent(raw: unknown): { intent: Intent } | { id: string | null; outcome: Outcome } {
  const parsed = intentSchema.safeParse(raw);
  if (parsed.success) return { intent: parsed.data };
  const id = typeof (raw as { id?: unknown } | null)?.id === "string" ? (raw as { id: string }).id : null;
  const issue = parsed.error.issues[0];
  const message = issue ? `${issue.path.join(".") || "intent"}: ${issue.message}` : "not an intent";
  return { id, outcome: { ok: false, code: "invalid_intent", message } };
}
