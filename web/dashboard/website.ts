// The studio's website and branding: its name, tagline, about text, public contact address and
// accent colour, with a preview that follows the form, and the site itself a click away. The same
// name and colour sign the studio's mail.
import type { ProfileResponse, StudioProfile, StudioRef, StudioResponse, StudioRole } from "../../worker/contract/studios";
import { h } from "../lib/dom";
import { api, errorOf, studioOrigin } from "./api";
import { brandImageFields, brandUrl } from "./brand-images";
import { domainsCard } from "./domains";

type Shown = Pick<StudioProfile, "name" | "tagline" | "about" | "contactEmail" | "accentColor" | "logoFile" | "coverFile">;

function preview(studio: StudioRef, p: Shown): HTMLElement {
  const logo = brandUrl(studio, p.logoFile);
  const cover = brandUrl(studio, p.coverFile);
  return h(
    "div",
    { class: "site-preview", style: `--accent:${/^#[0-9a-f]{6}$/i.test(p.accentColor) ? p.accentColor : "#1f6feb"}` },
    h("p", { class: "preview-label muted" }, "Preview"),
    h(
      "div",
      { class: cover ? "preview-hero with-cover" : "preview-hero", style: cover ? `background-image:url(${cover})` : "" },
      logo ? h("img", { class: "preview-logo", src: logo, alt: "" }) : "",
      h("h1", {}, p.name || "Your studio"),
      p.tagline ? h("p", { class: "tagline" }, p.tagline) : "",
    ),
    p.about ? h("p", {}, p.about.length > 280 ? `${p.about.slice(0, 280)}…` : p.about) : "",
    h("p", { class: "contact" }, p.contactEmail ? `Contact: ${p.contactEmail}` : "No public contact address: visitors write through the contact form only."),
    h("span", { class: "accent-button" }, "View gallery"),
  );
}

export async function renderWebsite(app: HTMLElement, studio: StudioRef, role: StudioRole): Promise<void> {
  const res = await api<StudioResponse>("GET", `/api/studios/${studio.id}`);
  if (!res.ok) return void app.replaceChildren(h("p", { class: "error" }, errorOf(res)));
  const profile = res.data.studio.profile;
  const owner = role === "owner";
  const said = h("p", { role: "status" });
  const field = (label: string, input: HTMLElement, hint?: string) => h("label", {}, label, input, hint ? h("small", { class: "muted" }, hint) : "");
  const name = h("input", { name: "name", value: profile.name, required: true, maxlength: "80" });
  const tagline = h("input", { name: "tagline", value: profile.tagline, maxlength: "160" });
  const about = h("textarea", { name: "about", rows: "6", maxlength: "4000" }, profile.about);
  const contact = h("input", { name: "contactEmail", type: "email", value: profile.contactEmail, placeholder: "hello@your-studio.com" });
  const accent = h("input", { name: "accentColor", type: "color", value: profile.accentColor });
  let current: StudioProfile = profile;
  const shown = h("div", {}, preview(studio, profile));
  const redraw = () =>
    shown.replaceChildren(
      preview(studio, { ...current, name: name.value, tagline: tagline.value, about: about.value, contactEmail: contact.value, accentColor: accent.value }),
    );
  const form = h(
    "form",
    {
      class: "card website-form",
      oninput: redraw,
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const body = { name: name.value, tagline: tagline.value, about: about.value, contactEmail: contact.value, accentColor: accent.value };
        const saved = await api<ProfileResponse>("PATCH", `/api/studios/${studio.id}`, body);
        said.className = saved.ok ? "muted" : "error";
        said.textContent = saved.ok ? "Saved: your website and your mail use it now." : errorOf(saved);
      },
    },
    field("Studio name", name),
    field("Tagline", tagline),
    field("About", about),
    field("Public contact address", contact, "Shown on your website and used for clients' replies. Leave empty to keep your address private."),
    field("Accent colour", accent),
    brandImageFields(studio, profile, owner, (p) => {
      current = p;
      redraw();
    }),
    owner ? h("button", { type: "submit" }, "Save") : h("p", { class: "muted" }, "Only the studio's owners change the website."),
    said,
  );
  if (!owner) for (const el of form.querySelectorAll("input, textarea")) el.setAttribute("disabled", "");
  app.replaceChildren(
    h("p", {}, h("a", { href: "#/" }, "← All galleries")),
    h(
      "div",
      { class: "gallery-head" },
      h("h2", {}, "Website"),
      h("a", { href: `${studioOrigin(studio)}/`, target: "_blank", rel: "noopener" }, "Open your website ↗"),
    ),
    h("div", { class: "website-grid" }, form, shown),
    await domainsCard(studio, role),
  );
}
