// Mail to a gallery's clients about their selection: the due date coming (three days and one day
// before), a submitted list the photographer reopened, and the photographer's reply to a comment.
// Each has the key that makes it once-only.
import type { Mail } from "./outbox";

const when = (ms: number) => new Date(ms).toUTCString().slice(0, 22);

export function selectionDue(
  to: string,
  name: string | null,
  studioName: string,
  gallery: { id: string; title: string; dueAt: number; locks: boolean },
  url: string,
  now = Date.now(),
): Mail {
  const days = gallery.dueAt - now <= 86_400_000 ? "tomorrow" : "in a few days";
  return {
    key: `due:${gallery.id}:${gallery.dueAt}:${days === "tomorrow" ? 1 : 3}:${to}`,
    kind: "selection_due",
    to,
    subject: `${gallery.title}: your selection is due ${days}`,
    text: `Hello${name ? ` ${name}` : ""},\n\n${studioName} would like your favourites from ${gallery.title} by ${when(gallery.dueAt)} UTC${
      gallery.locks ? "; the selection closes then" : ""
    }. Pick them and send your selection here:\n${url}\n`,
  };
}

export function listReopened(
  to: string,
  name: string | null,
  studioName: string,
  gallery: { id: string; title: string },
  list: { id: string; name: string; reopenedAt: number },
  url: string,
): Mail {
  return {
    key: `reopen:${gallery.id}:${list.id}:${list.reopenedAt}`,
    kind: "list_reopened",
    to,
    subject: `${gallery.title}: you can change “${list.name}” again`,
    text: `Hello${name ? ` ${name}` : ""},\n\n${studioName} reopened your selection “${list.name}” in ${gallery.title}. Change it as you like and send it again:\n${url}\n`,
  };
}

export function commentReply(
  to: string,
  name: string | null,
  studioName: string,
  gallery: { id: string; title: string },
  reply: { id: string; authorName: string; text: string; filename: string },
  url: string,
): Mail {
  return {
    key: `reply:${gallery.id}:${reply.id}`,
    kind: "comment_reply",
    to,
    subject: `${reply.authorName} replied to your comment on ${reply.filename}`,
    text: `Hello${name ? ` ${name}` : ""},\n\n${reply.authorName} of ${studioName} replied to your comment on ${reply.filename} in ${gallery.title}:\n\n“${reply.text}”\n\nSee the conversation and answer here:\n${url}\n`,
  };
}
