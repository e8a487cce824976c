// Messages from the studio website's contact form, newest first; opening the page marks them read.
import type { MessagesResponse, StudioRef } from "../../worker/contract/studios";
import { h } from "../lib/dom";
import { api } from "./api";

export async function renderMessages(app: HTMLElement, studio: StudioRef): Promise<void> {
  const base = `/api/studios/${studio.id}/messages`;
  const res = await api<MessagesResponse>("GET", base);
  const messages = res.ok ? res.data.messages : [];
  app.replaceChildren(
    h("p", {}, h("a", { href: "#/" }, "← All galleries")),
    h("h2", {}, "Messages"),
    messages.length
      ? h(
          "ul",
          { class: "messages" },
          ...messages.map((m) =>
            h(
              "li",
              { class: m.readAt ? "" : "unread" },
              h("strong", {}, m.name),
              " · ",
              h("a", { href: `mailto:${m.email}` }, m.email),
              h("span", { class: "muted" }, ` · ${new Date(m.createdAt).toLocaleString()}`),
              h("p", {}, m.message),
            ),
          ),
        )
      : h("p", { class: "muted" }, "No messages yet. Your website's contact form sends them here."),
  );
  await Promise.all(messages.filter((m) => !m.readAt).map((m) => api<unknown>("POST", `${base}/${m.id}/read`)));
}
