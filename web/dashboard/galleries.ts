// The studio's galleries: what each holds and how far processing is, and a new one in a line.
import type { GalleriesResponse, GalleryResponse } from "../../worker/contract/galleries";
import type { MessagesResponse, StudioRef } from "../../worker/contract/studios";
import { h } from "../lib/dom";
import { api, errorOf, galleriesPath } from "./api";

export async function renderGalleries(app: HTMLElement, studio: StudioRef): Promise<void> {
  const res = await api<GalleriesResponse>("GET", galleriesPath(studio));
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
  const inbox = await api<MessagesResponse>("GET", `/api/studios/${studio.id}/messages`);
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
