// Messages from the studio website's contact form, newest first, a page at a time; the messages
// a page shows are marked read once it has been shown.
import type { MessageView, StudioRef } from "../../worker/contract/studios";
import { h } from "../lib/dom";
import { api } from "./api";
import { pagedList } from "./paging";

const messageItem = (m: MessageView) =>
  h(
    "li",
    { class: m.readAt ? "" : "unread" },
    h("strong", {}, m.name),
    " · ",
    h("a", { href: `mailto:${m.email}` }, m.email),
    h("span", { class: "muted" }, ` · ${new Date(m.createdAt).toLocaleString()}`),
    h("p", {}, m.message),
  );

export async function renderMessages(app: HTMLElement, studio: StudioRef): Promise<void> {
  const base = `/api/studios/${studio.id}/messages`;
  const list = pagedList<"messages", MessageView>({
    path: base,
    key: "messages",
    className: "messages",
    render: messageItem,
    empty: "No messages yet. Your website's contact form sends them here.",
    onPage: (page) => {
      const ids = page.messages.filter((m) => !m.readAt).map((m) => m.id);
      if (ids.length) void api<unknown>("POST", `${base}/read`, { ids });
    },
  });
  app.replaceChildren(h("p", {}, h("a", { href: "#/" }, "← All galleries")), h("h2", {}, "Messages"), list.element);
  await list.start();
}
