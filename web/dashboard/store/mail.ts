// The mailbox: every mail Loupe wrote for the studio (order confirmations, download links, …),
// newest first, with whether it was sent. Without a mail provider (local runs) it is where mail
// can be read.
import type { MailResponse } from "../../../worker/contract/store";
import { h } from "../../lib/dom";
import { api, errorOf } from "../api";

export async function renderMail(body: HTMLElement, base: string): Promise<void> {
  const res = await api<MailResponse>("GET", `${base}/mail`);
  if (!res.ok) return void body.replaceChildren(h("p", { class: "error" }, errorOf(res)));
  const items = res.data.mail.map((m) =>
    h(
      "details",
      { class: "mail card" },
      h("summary", {}, h("strong", {}, m.subject), h("span", { class: "muted" }, ` · to ${m.to} · ${new Date(m.createdAt).toLocaleString()} · ${m.status}`)),
      h("pre", {}, m.text),
      m.lastError ? h("p", { class: "error" }, m.lastError) : "",
    ),
  );
  body.replaceChildren(
    items.length ? h("div", { class: "mailbox" }, ...items) : h("p", { class: "muted" }, "No mail yet. Order confirmations and download links will show here."),
  );
}
