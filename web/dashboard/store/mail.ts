// The mailbox: every mail Loupe wrote for the studio (order confirmations, download links, …),
// newest first, a page at a time, with whether it was sent. Without a mail provider (local runs)
// it is where mail can be read.
import type { MailView } from "../../../worker/contract/store";
import { h } from "../../lib/dom";
import { errorOf } from "../api";
import { pagedList } from "../paging";

const mailItem = (m: MailView) =>
  h(
    "details",
    { class: "mail card" },
    h("summary", {}, h("strong", {}, m.subject), h("span", { class: "muted" }, ` · to ${m.to} · ${new Date(m.createdAt).toLocaleString()} · ${m.status}`)),
    h("pre", {}, m.text),
    m.lastError ? h("p", { class: "error" }, m.lastError) : "",
  );

export async function renderMail(body: HTMLElement, base: string): Promise<void> {
  const box = h("div", { class: "mailbox" });
  const list = pagedList<"mail", MailView>({
    path: `${base}/mail`,
    key: "mail",
    className: "mailbox",
    frame: { element: box, items: box },
    render: mailItem,
    empty: "No mail yet. Order confirmations and download links will show here.",
  });
  const res = await list.start();
  body.replaceChildren(res.ok ? list.element : h("p", { class: "error" }, errorOf(res)));
}
