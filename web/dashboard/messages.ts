// Messages from the studio website's contact form, newest first; opening the page marks them read.
import { h } from "../lib/dom";
import { api, type Studio } from "./api";

interface Message {
  id: string;
  name: string;
  email: string;
  message: string;
  createdAt: number;
  readAt: number | null;
}

export async function renderMessages(app: HTMLElement, studio: Studio): Promise<void> {
  const base = `/api/studios/${studio.id}/messages`;
  const res = await api<{ messages: Message[] }>("GET", base);
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
  await Promise.all(messages.filter((m) => !m.readAt).map((m) => api("POST", `${base}/${m.id}/read`)));
}
