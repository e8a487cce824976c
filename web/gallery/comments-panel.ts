// A photo's conversation in the lightbox: each comment with its replies under it, a "Reply" on
// every thread, and the box to write in. A reply goes to the thread's first comment (threads are
// one level deep); a reply whose first comment was deleted shows on its own.
import { h } from "../lib/dom";

export interface ThreadComment {
  id: string;
  authorName: string;
  authorId: string;
  text: string;
  resolved: boolean;
  replyTo?: string | null;
  pending?: boolean;
}

export class CommentsPanel {
  readonly list = h("ol", { class: "lb-comments" });
  readonly form: HTMLFormElement;
  readonly input = h("textarea", { class: "lb-input", rows: 2, maxlength: 2000, placeholder: "Add a comment for the photographer…", "aria-label": "Comment" });
  #replyTo: { id: string; name: string } | null = null;
  #replying = h("p", { class: "lb-replying", hidden: true });

  constructor(send: (text: string, replyTo: string | null) => void) {
    this.form = h(
      "form",
      {
        class: "lb-form",
        onsubmit: (e) => {
          e.preventDefault();
          const text = this.input.value.trim();
          if (text) send(text, this.#replyTo?.id ?? null);
          this.input.value = "";
          this.reply(null);
        },
      },
      this.#replying,
      this.input,
      h("button", { type: "submit" }, "Send"),
    );
  }

  /** Starts (or with null, ends) a reply to a thread. */
  reply(to: { id: string; name: string } | null): void {
    this.#replyTo = to;
    this.#replying.hidden = !to;
    this.input.placeholder = to ? `Reply to ${to.name}…` : "Add a comment for the photographer…";
    if (!to) return;
    this.#replying.replaceChildren(
      `Replying to ${to.name} `,
      h("button", { type: "button", class: "link", "aria-label": "Cancel the reply", onclick: () => this.reply(null) }, "×"),
    );
    this.input.focus();
  }

  render(comments: ThreadComment[]): void {
    const ids = new Set(comments.map((c) => c.id));
    const firsts = comments.filter((c) => !c.replyTo || !ids.has(c.replyTo));
    // The thread being answered may have been deleted meanwhile.
    if (this.#replyTo && !ids.has(this.#replyTo.id)) this.reply(null);
    const item = (c: ThreadComment, reply: boolean) =>
      h(
        "li",
        { class: [reply ? "reply" : "", c.pending ? "pending" : c.resolved ? "resolved" : ""].filter(Boolean).join(" ") },
        h("b", {}, c.authorName),
        " ",
        c.text,
        c.pending ? h("span", { class: "muted" }, " · sending") : c.resolved ? h("span", { class: "muted" }, " · resolved") : "",
      );
    this.list.replaceChildren(
      ...firsts.map((c) => {
        const replies = comments.filter((r) => r.replyTo === c.id);
        return h(
          "li",
          { class: "thread" },
          h("ol", {}, item(c, false), ...replies.map((r) => item(r, true))),
          c.pending ? "" : h("button", { type: "button", class: "link lb-reply", onclick: () => this.reply({ id: c.id, name: c.authorName }) }, "Reply"),
        );
      }),
    );
  }
}
