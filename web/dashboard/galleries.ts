// The studio's galleries: what each holds and how far processing is, and a new one in a line.
import { h } from "../lib/dom";
import { api, errorOf, type GalleryView, galleriesPath, type Studio } from "./api";

export async function renderGalleries(app: HTMLElement, studio: Studio): Promise<void> {
  const res = await api<{ galleries: GalleryView[] }>("GET", galleriesPath(studio));
  const title = h("input", { name: "title", placeholder: "e.g. Smith Wedding", required: true, maxlength: 120, "aria-label": "Gallery title" });
  const result = h("span", { class: "error", role: "status" });
  const create = h(
    "form",
    {
      class: "inline-form",
      onsubmit: async (e) => {
        e.preventDefault();
        const made = await api<{ gallery: GalleryView }>("POST", galleriesPath(studio), { title: title.value });
        if (!made.ok) return void (result.textContent = errorOf(made));
        location.hash = `#/g/${made.data.gallery.id}/photos`;
      },
    },
    title,
    h("button", { type: "submit" }, "New gallery"),
    result,
  );
  const list = (res.ok ? res.data.galleries : []).map((g) =>
    h(
      "li",
      {},
      h("a", { href: `#/g/${g.id}/photos` }, h("strong", {}, g.title)),
      h(
        "span",
        { class: "muted" },
        ` ${g.photos.total} photos${g.photos.processing + g.photos.uploading ? ` · ${g.photos.processing + g.photos.uploading} processing` : ""}${g.photos.failed ? ` · ${g.photos.failed} failed` : ""} · ${g.visibility}`,
      ),
    ),
  );
  const inbox = await api<{ messages: { readAt: number | null }[] }>("GET", `/api/studios/${studio.id}/messages`);
  const unread = inbox.ok ? inbox.data.messages.filter((m) => !m.readAt).length : 0;
  app.replaceChildren(
    h(
      "div",
      { class: "gallery-head" },
      h("h2", {}, "Galleries"),
      h(
        "nav",
        { class: "head-links" },
        h("a", { href: "#/store/orders" }, "Store"),
        h("a", { href: "#/messages" }, unread ? `Messages (${unread} new)` : "Messages"),
      ),
    ),
    create,
    list.length ? h("ul", { class: "gallery-list" }, ...list) : h("p", { class: "muted" }, "No galleries yet: create one, then drop photos on it."),
  );
}
