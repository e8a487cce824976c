// A gallery's visitors and downloads: who opened it (and who was invited and has not yet), when
// they came, how many favourites they picked and photos they took; then each download, newest
// first. Both lists are paged, so a wedding with hundreds of guests loads as fast as a shoot of two.

import { byteSize } from "../../worker/contract/sizes";
import type { DownloadRecordView, VisitorView } from "../../worker/contract/visitors";
import { h } from "../lib/dom";
import { pagedList } from "./paging";

const when = (ms: number | null) => (ms ? new Date(ms).toLocaleString(undefined, { day: "numeric", month: "short", hour: "numeric", minute: "2-digit" }) : "—");
const SIZE = { web: "web size", high_res: "high-res", original: "originals" } as const;

function visitorRow(v: VisitorView): HTMLElement {
  return h(
    "tr",
    {},
    h("td", {}, v.name ?? "(no name)", v.invited ? h("span", { class: "pill" }, "invited") : ""),
    h("td", {}, v.email ? h("a", { href: `mailto:${v.email}` }, v.email) : h("span", { class: "muted" }, "—")),
    h("td", {}, v.firstSeen ? when(v.firstSeen) : h("span", { class: "muted" }, "not opened yet")),
    h("td", {}, when(v.lastSeen)),
    h("td", { class: "num" }, String(v.favourites)),
    h("td", { class: "num" }, String(v.downloads)),
  );
}

function downloadRow(d: DownloadRecordView): HTMLElement {
  const what = d.scope === "photo" ? d.label : `${d.label} (${d.photos} photos${d.parts > 1 ? `, ${d.parts} parts` : ""}, ${byteSize(d.bytes)})`;
  return h("tr", {}, h("td", {}, when(d.at)), h("td", {}, d.visitor.name ?? "Someone without a name"), h("td", {}, what), h("td", {}, SIZE[d.size]));
}

function table(headings: string[]): { element: HTMLElement; items: HTMLElement } {
  const items = h("tbody");
  return { element: h("table", { class: "orders-table" }, h("thead", {}, h("tr", {}, ...headings.map((t) => h("th", {}, t)))), items), items };
}

export async function renderVisitors(body: HTMLElement, base: string): Promise<void> {
  const visitors = pagedList<"visitors", VisitorView>({
    path: `${base}/visitors`,
    key: "visitors",
    className: "visitors",
    render: visitorRow,
    empty: "No one has opened this gallery yet. Invite a client above, or share its link.",
    frame: table(["Visitor", "Email", "First visit", "Last visit", "Favourites", "Downloads"]),
  });
  const downloads = pagedList<"downloads", DownloadRecordView>({
    path: `${base}/downloads`,
    key: "downloads",
    className: "downloads",
    render: downloadRow,
    empty: "Nothing downloaded yet.",
    frame: table(["When", "Who", "What", "Size"]),
  });
  body.replaceChildren(
    h("section", { class: "card" }, h("h3", {}, "Visitors"), visitors.element),
    h("section", { class: "card" }, h("h3", {}, "Downloads"), downloads.element),
  );
  await Promise.all([visitors.start(), downloads.start()]);
}
