// The logo and the home-page cover on the website screen: pick a file, see it in the preview, or
// remove it. The server checks, resizes and re-encodes; its refusal is shown as it words it.
import type { ProfileResponse, StudioProfile, StudioRef } from "../../worker/contract/studios";
import { h } from "../lib/dom";
import { readResult } from "../lib/result";
import { api, errorOf } from "./api";

type Kind = "logo" | "cover";
const LABEL: Record<Kind, { name: string; hint: string }> = {
  logo: { name: "Logo", hint: "PNG with transparency works best; shown up to 80 px tall on your site and in mail. At most 2 MB." },
  cover: { name: "Home-page cover", hint: "A landscape photo at least 1200 px wide, shown behind your name. At most 25 MB." },
};

// Read through the dashboard's own host: its pages show only their own origin's images.
export const brandUrl = (studio: StudioRef, file: string | null) =>
  file ? `/api/studios/${studio.id}/brand/${file.startsWith("logo") ? "logo" : "cover"}?v=${encodeURIComponent(file)}` : null;

/** A field per image; `changed` gets the profile after each upload or removal. */
export function brandImageFields(studio: StudioRef, profile: StudioProfile, owner: boolean, changed: (p: StudioProfile) => void): HTMLElement {
  const base = `/api/studios/${studio.id}/brand`;
  const field = (kind: Kind): HTMLElement => {
    const status = h("small", { class: "muted", role: "status" });
    const current = () => (kind === "logo" ? profile.logoFile : profile.coverFile);
    const thumb = h("img", { class: `brand-thumb ${kind}`, alt: "" }) as HTMLImageElement;
    const input = h("input", { type: "file", accept: "image/png,image/jpeg,image/webp", "aria-label": LABEL[kind].name }) as HTMLInputElement;
    const remove = h("button", { type: "button", class: "link" }, "Remove");
    const draw = () => {
      const url = brandUrl(studio, current());
      thumb.hidden = !url;
      if (url) thumb.src = url;
      remove.hidden = !url || !owner;
    };
    const done = (p: StudioProfile, said: string) => {
      profile = p;
      status.className = "muted";
      status.textContent = said;
      draw();
      changed(p);
    };
    input.addEventListener("change", async () => {
      const file = input.files?.[0];
      if (!file) return;
      status.className = "muted";
      status.textContent = `Uploading ${file.name}…`;
      const res = await fetch(`${base}/${kind}`, {
        method: "PUT",
        body: file,
        headers: { "content-type": file.type || "application/octet-stream" },
        credentials: "same-origin",
      });
      const out = await readResult<ProfileResponse>(res);
      input.value = "";
      if (!out.ok) {
        status.className = "error";
        status.textContent = errorOf(out);
        return;
      }
      done(out.data.profile, `${LABEL[kind].name} saved: your website shows it now.`);
    });
    remove.addEventListener("click", async () => {
      const out = await api<ProfileResponse>("DELETE", `${base}/${kind}`);
      if (out.ok) done(out.data.profile, `${LABEL[kind].name} removed.`);
      else {
        status.className = "error";
        status.textContent = errorOf(out);
      }
    });
    if (!owner) input.disabled = true;
    draw();
    return h(
      "div",
      { class: "brand-field" },
      h("span", { class: "brand-label" }, LABEL[kind].name),
      thumb,
      input,
      remove,
      h("small", { class: "muted" }, LABEL[kind].hint),
      status,
    );
  };
  return h("div", { class: "brand-images" }, field("logo"), field("cover"));
}
