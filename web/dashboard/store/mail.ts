// The mailbox: every mail Loupe wrote for the studio (order confirmations, download links, …),
// newest first, a page at a time, with whether it was sent. Without a mail provider (local runs)
// it is where mail can be read.
import type { MailPreviewsResponse, MailView } from "../../../worker/contract/store";
import { h } from "../../lib/dom";
import { api, errorOf } from "../api";
import { pagedList } from "../paging";

const mailItem = (m: MailView) =>
  h(
    "details",
    { class: "mail card" },
    h("summary", {}, h("strong", {}, m.subject), h("span", { class: "muted" }, ` · to ${m.to} · ${new Date(m.createdAt).toLocaleString()} · ${m.status}`)),
    h("pre", {}, m.text),
    m.lastError ? h("p", { class: "error" }, m.lastError) : "",
  );

/** Each kind of mail, as it goes out today in the studio's name, logo and colour. */
async function previews(base: string): Promise<HTMLElement> {
  const res = await api<MailPreviewsResponse>("GET", `${base}/mail/previews`);
  if (!res.ok) return h("p", { class: "error" }, errorOf(res));
  const all = res.data.previews;
  const frame = h("iframe", { class: "mail-frame", title: "Mail preview" }) as HTMLIFrameElement;
  const meta = h("p", { class: "muted" });
  const text = h("pre", { class: "mail-text" });
  const pick = h("select", { "aria-label": "Mail template" }, ...all.map((p, i) => h("option", { value: String(i) }, `${p.audience}`)));
  const show = () => {
    const p = all[Number(pick.value)]!;
    frame.srcdoc = p.html;
    meta.textContent = `Subject: ${p.subject}${p.replyTo ? ` · replies go to ${p.replyTo}` : " · replies go to Loupe's address (set a public contact address on the Website screen)"}`;
    text.textContent = p.text;
  };
  pick.addEventListener("change", show);
  show();
  return h(
    "section",
    { class: "card mail-previews" },
    h("h3", {}, "What your mail looks like"),
    h("p", { class: "muted" }, "Sample mail in your studio's name, logo and colour, as it would go out now. Change them on the Website screen."),
    pick,
    meta,
    frame,
    h("details", {}, h("summary", {}, "Plain-text version"), text),
  );
}

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
  body.replaceChildren(await previews(base), res.ok ? list.element : h("p", { class: "error" }, errorOf(res)));
}
