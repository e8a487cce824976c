// The studio's galleries, newest first, a page at a time as the list scrolls; a search finds one
// by its title or its client's name or email, and a new gallery takes a line.
import type { GalleryResponse, GalleryView } from "../../worker/contract/galleries";
import type { StorageView } from "../../worker/contract/photos";
import { byteSize } from "../../worker/contract/sizes";
import type { MessagesResponse, StudioRef } from "../../worker/contract/studios";
import { h } from "../lib/dom";
import { api, errorOf, galleriesPath } from "./api";
import { pagedList } from "./paging";

function galleryItem(g: GalleryView): HTMLElement {
  const busy = g.photos.processing + g.photos.uploading;
  const client = [g.client.name, g.client.email].filter(Boolean).join(" · ");
  return h(
    "li",
    {},
    h("a", { href: `#/g/${g.id}/photos` }, h("strong", {}, g.title)),
    client ? h("span", { class: "client" }, ` ${client}`) : null,
    h(
      "span",
      { class: "muted" },
      ` ${g.photos.total} photos${busy ? ` · ${busy} processing` : ""}${g.photos.failed ? ` · ${g.photos.failed} failed` : ""} · ${g.visibility}`,
    ),
  );
}

export async function renderGalleries(app: HTMLElement, studio: StudioRef): Promise<void> {
  const title = h("input", { name: "title", placeholder: "e.g. Smith Wedding", required: true, maxlength: 120, "aria-label": "Gallery title" });
  const result = h("span", { class: "error", role: "status" });
  const create = h(
    "form",
    {
      class: "inline-form",
      onsubmit: async (e) => {
        e.preventDefault();
        const made = await api<GalleryResponse>("POST", galleriesPath(studio), { title: title.value });
        if (!made.ok) {
          result.textContent = errorOf(made);
          return;
        }
        location.hash = `#/g/${made.data.gallery.id}/photos`;
      },
    },
    title,
    h("button", { type: "submit" }, "New gallery"),
    result,
  );
  const search = h("input", {
    type: "search",
    name: "q",
    placeholder: "Find a gallery: title, client name or email",
    maxlength: 100,
    "aria-label": "Find a gallery",
  });
  const listHost = h("div", { class: "gallery-results" });
  let shown = 0;
  const showList = async () => {
    const n = ++shown;
    const q = search.value.trim();
    const list = pagedList<"galleries", GalleryView>({
      path: `${galleriesPath(studio)}${q ? `?q=${encodeURIComponent(q)}` : ""}`,
      key: "galleries",
      className: "gallery-list",
      render: galleryItem,
      empty: q ? `No gallery matches "${q}".` : "No galleries yet: create one, then drop photos on it.",
    });
    await list.start();
    // A slower answer to an older search must not replace a newer one.
    if (n === shown) listHost.replaceChildren(list.element);
  };
  let typing: ReturnType<typeof setTimeout> | undefined;
  search.addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(() => void showList(), 250);
  });

  const [inbox, storage] = await Promise.all([
    api<MessagesResponse>("GET", `/api/studios/${studio.id}/messages?limit=1`),
    api<StorageView>("GET", `/api/studios/${studio.id}/storage`),
  ]);
  const unread = inbox.ok ? inbox.data.unread : 0;
  app.replaceChildren(
    h(
      "div",
      { class: "gallery-head" },
      h("h2", {}, "Galleries"),
      h(
        "nav",
        { class: "head-links" },
        h("a", { href: "#/store/orders" }, "Store"),
        h("a", { href: "#/website" }, "Website"),
        h("a", { href: "#/team" }, "Team"),
        h("a", { href: "#/gallery-defaults" }, "Defaults"),
        h("a", { href: "#/messages" }, unread ? `Messages (${unread >= 100 ? "99+" : unread} new)` : "Messages"),
      ),
    ),
    storage.ok ? storageMeter(storage.data) : "",
    create,
    search,
    listHost,
  );
  await showList();
}

const size = (bytes: number) => byteSize(bytes, false);

/** How much of the plan's storage is used, and what to do when it is nearly full. */
function storageMeter(s: StorageView): HTMLElement {
  const share = s.quota ? Math.min(1, s.used / s.quota) : 1;
  return h(
    "div",
    { class: `storage${s.nearlyFull ? " nearly-full" : ""}`, id: "storage" },
    h(
      "span",
      {},
      `Storage: ${size(s.used)} of ${size(s.quota)} used (${Math.round(share * 100)}%) · originals ${size(s.originals)}, previews ${size(s.masters + s.derivatives)}`,
      s.used > s.originals + s.masters + s.derivatives ? " (each photo's previews count at least 2 MB, and uploads in progress at their full size)" : "",
    ),
    h(
      "div",
      { class: "bar", role: "meter", "aria-valuemin": "0", "aria-valuemax": String(s.quota), "aria-valuenow": String(s.used) },
      h("span", { style: `width:${(share * 100).toFixed(1)}%` }),
    ),
    s.nearlyFull
      ? h(
          "span",
          { class: "error" },
          "Nearly full: add storage under Store → Payments & plan, or delete galleries you no longer need (a gallery's Settings → Delete).",
        )
      : "",
  );
}
