// Applying one validated intent to the gallery document on behalf of one actor. Everything a
// client may not do is refused here with a reason code, so no sequence of frames can change
// another person's lists, picks or comments.
import type * as Y from "yjs";
import { type Actor, addPick, hasPick, type Intent, LIMITS, type ListEntry, type Outcome, pastDue, pickCount, removePick, roots, settingsOf } from "./doc";

export interface ApplyContext {
  /** Whether the gallery has this photo (the room knows its photos). */
  photoExists: (photoId: string) => boolean;
  now: number;
}

const no = (code: Extract<Outcome, { ok: false }>["code"], message: string): Outcome => ({ ok: false, code, message });
const yes: Outcome = { ok: true };

function ownList(doc: Y.Doc, actor: Actor, listId: string): ListEntry | Outcome {
  const list = roots(doc).lists.get(listId);
  if (!list) return no("no_such_list", "No such list.");
  if (list.ownerId !== actor.id) return no("not_owner", "That list belongs to someone else.");
  return list;
}

const isOutcome = (v: ListEntry | Outcome): v is Outcome => "ok" in v;

/** Lists and picks are frozen while the photographer has locked the selection (for clients). */
function frozen(doc: Y.Doc, actor: Actor, now: number, list?: ListEntry): Outcome | null {
  const settings = settingsOf(doc);
  if (actor.role === "client" && settings.locked) return no("selection_locked", "The photographer has locked the selection.");
  const reopenedSinceDue = !!list?.reopenedAt && settings.dueAt !== null && list.reopenedAt >= settings.dueAt;
  if (actor.role === "client" && pastDue(settings, now) && !reopenedSinceDue) {
    return no("selection_locked", `The selection closed on ${new Date(settings.dueAt!).toUTCString().slice(0, 22)} UTC; ask the photographer to reopen it.`);
  }
  if (list?.submittedAt && actor.role === "client") return no("list_submitted", `"${list.name}" was submitted; ask the photographer to reopen it.`);
  return null;
}

function applyList(doc: Y.Doc, actor: Actor, intent: Extract<Intent, { type: `list.${string}` }>, ctx: ApplyContext): Outcome {
  const { lists, picked } = roots(doc);
  if (intent.type === "list.create") {
    const stop = frozen(doc, actor, ctx.now);
    if (stop) return stop;
    if (lists.has(intent.listId)) return no("list_exists", "A list with that id exists.");
    const mine = [...lists.values()].filter((l) => l.ownerId === actor.id);
    if (!settingsOf(doc).listsAllowed && mine.length >= 1) return no("lists_not_allowed", "This gallery allows one list per person.");
    if (mine.length >= LIMITS.listsPerPerson) return no("too_many_lists", `At most ${LIMITS.listsPerPerson} lists per person.`);
    lists.set(intent.listId, { id: intent.listId, name: intent.name, ownerId: actor.id, ownerName: actor.name, createdAt: ctx.now, submittedAt: null });
    return yes;
  }
  if (intent.type === "list.reopen") {
    const list = lists.get(intent.listId);
    if (!list) return no("no_such_list", "No such list.");
    lists.set(list.id, { ...list, submittedAt: null, reopenedAt: ctx.now });
    return yes;
  }
  const list = ownList(doc, actor, intent.listId);
  if (isOutcome(list)) return list;
  const stop = frozen(doc, actor, ctx.now, list);
  if (stop) return stop;
  if (intent.type === "list.rename") {
    lists.set(list.id, { ...list, name: intent.name });
    return yes;
  }
  if (intent.type === "list.delete") {
    picked.delete(list.id);
    lists.delete(list.id);
    return yes;
  }
  const { minPerList, maxPerList } = settingsOf(doc);
  const count = pickCount(doc, list.id);
  if (minPerList !== null && count < minPerList) return no("too_few_picks", `"${list.name}" has ${count} photos; pick at least ${minPerList}.`);
  if (maxPerList !== null && count > maxPerList) return no("list_full", `"${list.name}" has ${count} photos; the limit is ${maxPerList}.`);
  lists.set(list.id, { ...list, submittedAt: ctx.now });
  return yes;
}

function applyPick(doc: Y.Doc, actor: Actor, intent: Extract<Intent, { type: "pick" | "unpick" }>, ctx: ApplyContext): Outcome {
  const list = ownList(doc, actor, intent.listId);
  if (isOutcome(list)) return list;
  const stop = frozen(doc, actor, ctx.now, list);
  if (stop) return stop;
  if (intent.type === "unpick") {
    removePick(doc, list.id, intent.photoId);
    return yes;
  }
  if (hasPick(doc, list.id, intent.photoId)) return yes;
  if (!ctx.photoExists(intent.photoId)) return no("no_such_photo", "That photo is not in this gallery.");
  const max = settingsOf(doc).maxPerList;
  if (max !== null && pickCount(doc, list.id) >= max) return no("list_full", `"${list.name}" already has ${max} photos, the most this gallery allows.`);
  addPick(doc, list.id, intent.photoId);
  return yes;
}

function commentsOf(doc: Y.Doc, actorId: string): { count: number; chars: number } {
  let count = 0;
  let chars = 0;
  for (const c of roots(doc).comments.values())
    if (c.authorId === actorId) {
      count += 1;
      chars += c.text.length;
    }
  return { count, chars };
}

const tooMuchText = () =>
  no("too_many_comments", `Your comments in this gallery may hold at most ${LIMITS.commentCharsPerPerson.toLocaleString("en")} characters in all.`);

function applyComment(doc: Y.Doc, actor: Actor, intent: Extract<Intent, { type: `comment.${string}` }>, ctx: ApplyContext): Outcome {
  const { comments } = roots(doc);
  if (intent.type === "comment.add") {
    if (comments.has(intent.commentId)) return no("comment_exists", "A comment with that id exists.");
    // Bounds the document: every later visitor downloads every comment.
    const mine = commentsOf(doc, actor.id);
    if (mine.count >= LIMITS.commentsPerPerson) return no("too_many_comments", `At most ${LIMITS.commentsPerPerson} comments per person in a gallery.`);
    if (mine.chars + intent.text.length > LIMITS.commentCharsPerPerson) return tooMuchText();
    if (!ctx.photoExists(intent.photoId)) return no("no_such_photo", "That photo is not in this gallery.");
    const parent = intent.replyTo ? comments.get(intent.replyTo) : undefined;
    if (intent.replyTo && (!parent || parent.photoId !== intent.photoId))
      return no("no_such_comment", "The comment you reply to is not on this photo any more.");
    comments.set(intent.commentId, {
      id: intent.commentId,
      photoId: intent.photoId,
      authorId: actor.id,
      authorName: actor.name,
      text: intent.text,
      at: ctx.now,
      editedAt: null,
      resolved: false,
      // A reply to a reply joins the same thread: threads are one level deep.
      replyTo: parent ? (parent.replyTo ?? parent.id) : null,
    });
    return yes;
  }
  const comment = comments.get(intent.commentId);
  if (!comment) return no("no_such_comment", "No such comment.");
  if (intent.type === "comment.resolve") {
    comments.set(comment.id, { ...comment, resolved: intent.resolved });
    return yes;
  }
  if (comment.authorId !== actor.id) return no("not_author", "Only its author can change a comment.");
  if (intent.type === "comment.edit" && commentsOf(doc, actor.id).chars - comment.text.length + intent.text.length > LIMITS.commentCharsPerPerson)
    return tooMuchText();
  if (intent.type === "comment.edit") comments.set(comment.id, { ...comment, text: intent.text, editedAt: ctx.now });
  else comments.delete(comment.id);
  return yes;
}

export function applyIntent(doc: Y.Doc, actor: Actor, intent: Intent, ctx: ApplyContext): Outcome {
  const studioOnly = intent.type === "comment.resolve" || intent.type === "selection.lock" || intent.type === "limits.set" || intent.type === "list.reopen";
  if (studioOnly && actor.role !== "photographer") {
    return no("forbidden", "Only the photographer can do that.");
  }
  let outcome: Outcome = yes;
  doc.transact(() => {
    switch (intent.type) {
      case "selection.lock":
        roots(doc).settings.set("locked", intent.locked);
        break;
      case "limits.set":
        if (intent.minPerList !== null && intent.maxPerList !== null && intent.minPerList > intent.maxPerList) {
          outcome = no("invalid_limits", "minPerList must not exceed maxPerList.");
          break;
        }
        roots(doc).settings.set("minPerList", intent.minPerList);
        roots(doc).settings.set("maxPerList", intent.maxPerList);
        break;
      case "pick":
      case "unpick":
        outcome = applyPick(doc, actor, intent, ctx);
        break;
      case "comment.add":
      case "comment.edit":
      case "comment.delete":
      case "comment.resolve":
        outcome = applyComment(doc, actor, intent, ctx);
        break;
      default:
        outcome = applyList(doc, actor, intent, ctx);
    }
  }, actor.id);
  return outcome;
}

/**
 * The gallery's selection rules as the dashboard last saved them. Applied when the room loads and
 * when the gallery changes; returns whether anything changed.
 */
export function applyGalleryRules(
  doc: Y.Doc,
  rules: { listsAllowed: boolean; minPerList: number | null; maxPerList: number | null; dueAt?: number | null; lockAtDue?: boolean },
  opts: { limits: boolean } = { limits: true },
): boolean {
  const now = settingsOf(doc);
  const want = {
    ...(opts.limits ? rules : { ...rules, minPerList: now.minPerList, maxPerList: now.maxPerList }),
    dueAt: rules.dueAt ?? null,
    lockAtDue: rules.lockAtDue ?? false,
  };
  const same = (["listsAllowed", "minPerList", "maxPerList", "dueAt", "lockAtDue"] as const).every((k) => now[k] === want[k]);
  if (same) return false;
  doc.transact(() => {
    const s = roots(doc).settings;
    s.set("listsAllowed", want.listsAllowed);
    s.set("minPerList", want.minPerList);
    s.set("maxPerList", want.maxPerList);
    s.set("dueAt", want.dueAt);
    s.set("lockAtDue", want.lockAtDue);
  }, "gallery");
  return true;
}
