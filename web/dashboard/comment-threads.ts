// The studio's side of the conversations: every thread in the gallery, newest first, with its
// replies under it; the photographer resolves a thread or answers it in place, and the answer
// reaches the client live (and by mail, if they gave the gallery an email).
import type { CommentEntry } from "../../party/doc";
import { h } from "../lib/dom";
import { newId, type Room } from "../lib/room";

export function commentThreads(room: Room, nameOf: (photoId: string) => string) {
  const element = h("ul", { class: "inbox" });
  let answering: string | null = null;

  const replyForm = (c: CommentEntry) => {
    const input = h("input", { name: "reply", maxlength: 2000, placeholder: `Reply to ${c.authorName}…`, "aria-label": `Reply to ${c.authorName}` });
    const form = h(
      "form",
      {
        class: "inline-form reply-form",
        onsubmit: (e) => {
          e.preventDefault();
          const text = input.value.trim();
          if (!text) return;
          room.send({ type: "comment.add", commentId: `c-${newId()}`, photoId: c.photoId, text, replyTo: c.id });
          answering = null;
          render();
        },
      },
      input,
      h("button", { type: "submit" }, "Send reply"),
    );
    queueMicrotask(() => input.focus());
    return form;
  };

  const render = () => {
    const all = [...room.doc.getMap<CommentEntry>("comments").values()];
    const ids = new Set(all.map((c) => c.id));
    const firsts = all.filter((c) => !c.replyTo || !ids.has(c.replyTo)).sort((a, b) => b.at - a.at);
    if (firsts.length === 0) return void element.replaceChildren(h("li", { class: "muted" }, "No comments yet."));
    element.replaceChildren(
      ...firsts.map((c) => {
        const replies = all.filter((r) => r.replyTo === c.id).sort((a, b) => a.at - b.at);
        return h(
          "li",
          { class: c.resolved ? "resolved" : "" },
          h("strong", {}, c.authorName),
          ` on ${nameOf(c.photoId)}: ${c.text} `,
          h(
            "button",
            { type: "button", onclick: () => room.send({ type: "comment.resolve", commentId: c.id, resolved: !c.resolved }) },
            c.resolved ? "Reopen" : "Resolve",
          ),
          " ",
          h(
            "button",
            {
              type: "button",
              onclick: () => {
                answering = answering === c.id ? null : c.id;
                render();
              },
            },
            "Reply",
          ),
          replies.length ? h("ul", { class: "replies" }, ...replies.map((r) => h("li", {}, h("strong", {}, r.authorName), ` ${r.text}`))) : "",
          answering === c.id ? replyForm(c) : "",
        );
      }),
    );
  };
  return { element, render };
}
