// One gallery in the dashboard: a header with the client link and invites, and four tabs —
// photos, proofing (live), visitors (and their downloads) and settings.
import type { ClientInviteResponse, GalleryResponse } from "../../worker/contract/galleries";
import type { StudioRef } from "../../worker/contract/studios";
import { h, toast } from "../lib/dom";
import { api, errorOf, galleriesPath, studioOrigin } from "./api";
import { renderPhotos, stopPhotos } from "./photos";
import { renderProofing, stopProofing } from "./proofing";
import { renderSettings } from "./settings";
import { renderVisitors } from "./visitors";

export async function renderGallery(app: HTMLElement, studio: StudioRef, galleryId: string, tab: string): Promise<void> {
  stopPhotos();
  stopProofing();
  const base = `${galleriesPath(studio)}/${galleryId}`;
  const res = await api<GalleryResponse>("GET", base);
  if (!res.ok) return void app.replaceChildren(h("p", { class: "error" }, "No such gallery."), h("a", { href: "#/" }, "All galleries"));
  const g = res.data.gallery;
  const clientUrl = `${studioOrigin(studio)}/g/${g.id}`;
  const tabs = ["photos", "proofing", "visitors", "settings"].map((t) =>
    h("a", { href: `#/g/${g.id}/${t}`, class: t === tab ? "tab active" : "tab", "aria-current": t === tab ? "page" : null }, t[0]!.toUpperCase() + t.slice(1)),
  );
  const body = h("div", { class: "tab-body" });
  app.replaceChildren(
    h("p", {}, h("a", { href: "#/" }, "← All galleries")),
    h("div", { class: "gallery-head" }, h("h2", {}, g.title), h("a", { href: clientUrl, target: "_blank", rel: "noopener" }, "Open client view ↗")),
    inviteBox(base),
    h("nav", { class: "tabs" }, ...tabs),
    body,
  );
  if (tab === "proofing") return renderProofing(body, base, g);
  if (tab === "settings") return renderSettings(body, base, g);
  if (tab === "visitors") return renderVisitors(body, base);
  await renderPhotos(body, base, g);
}

/** A personal link for one client: opens the gallery under their name, no password to type. */
function inviteBox(base: string): HTMLElement {
  const name = h("input", { name: "name", placeholder: "Client's name", required: true, maxlength: 100, "aria-label": "Client's name" });
  const email = h("input", { name: "email", type: "email", placeholder: "Email (optional)", "aria-label": "Client's email" });
  const out = h("div", { class: "invite-out", role: "status" });
  const form = h(
    "form",
    {
      class: "inline-form",
      onsubmit: async (e) => {
        e.preventDefault();
        const res = await api<ClientInviteResponse>("POST", `${base}/invites`, {
          name: name.value,
          ...(email.value ? { email: email.value } : {}),
        });
        if (!res.ok) return void out.replaceChildren(h("span", { class: "error" }, errorOf(res)));
        const link = h("input", { class: "invite-link", readonly: true, value: res.data.invite.url, "aria-label": `Invite link for ${res.data.invite.name}` });
        out.replaceChildren(
          h("span", {}, `Link for ${res.data.invite.name}: `),
          link,
          h(
            "button",
            {
              type: "button",
              onclick: async () => {
                await navigator.clipboard.writeText(link.value).catch(() => link.select());
                toast("Invite link copied.");
              },
            },
            "Copy",
          ),
        );
        form.reset();
      },
    },
    name,
    email,
    h("button", { type: "submit" }, "Create invite link"),
  );
  return h("details", { class: "invite" }, h("summary", {}, "Invite a client"), form, out);
}
