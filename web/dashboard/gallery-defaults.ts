// Defaults for new galleries: what every gallery starts with (its own settings can change any of
// it later). Owners change them; staff see them.
import { type GalleryDefaults, type GalleryDefaultsResponse, watermarkPositions } from "../../worker/contract/galleries";
import type { PriceSheetsResponse } from "../../worker/contract/store";
import type { StudioRef, StudioRole } from "../../worker/contract/studios";
import { h } from "../lib/dom";
import { api, errorOf } from "./api";
import { DOWNLOADS, POSITIONS, VISIBILITY } from "./settings";

const num = (v: string) => (v.trim() === "" ? null : Number(v));

export async function renderGalleryDefaults(app: HTMLElement, studio: StudioRef, role: StudioRole): Promise<void> {
  const path = `/api/studios/${studio.id}/gallery-defaults`;
  const [res, sheets] = await Promise.all([
    api<GalleryDefaultsResponse>("GET", path),
    api<PriceSheetsResponse>("GET", `/api/studios/${studio.id}/store/price-sheets`),
  ]);
  if (!res.ok) return void app.replaceChildren(h("p", { class: "error" }, errorOf(res)));
  const d: GalleryDefaults = res.data.defaults;
  const owner = role === "owner";
  const said = h("p", { role: "status" });
  const field = (label: string, input: HTMLElement, hint?: string) => h("label", {}, label, input, hint ? h("small", { class: "muted" }, hint) : "");
  const select = (name: string, options: Record<string, string>, current: string) =>
    h("select", { name }, ...Object.entries(options).map(([value, label]) => h("option", { value, selected: value === current }, label)));

  const visibility = select("visibility", { public: VISIBILITY.public, unlisted: VISIBILITY.unlisted }, d.visibility);
  const expires = h("input", { name: "expiresInDays", type: "number", min: "1", max: "3650", value: d.expiresInDays ?? "", placeholder: "never" });
  const downloads = select("downloadMode", DOWNLOADS, d.downloadMode);
  const sheet = select(
    "priceSheetId",
    Object.fromEntries([["", "Nothing for sale"], ...(sheets.ok ? sheets.data.priceSheets.map((s) => [s.id, s.name]) : [])]),
    d.priceSheetId ?? "",
  );
  const wmOn = h("input", { name: "wmEnabled", type: "checkbox", checked: d.watermark.enabled });
  const wmText = h("input", { name: "wmText", value: d.watermark.text, maxlength: "60" });
  const wmPos = select("wmPosition", Object.fromEntries(watermarkPositions.map((p) => [p, POSITIONS[p]])), d.watermark.position);
  const wmOpacity = h("input", { name: "wmOpacity", type: "number", min: "0.05", max: "1", step: "0.05", value: String(d.watermark.opacity) });
  const lists = h("input", { name: "listsAllowed", type: "checkbox", checked: d.selection.listsAllowed });
  const minPer = h("input", { name: "minPerList", type: "number", min: "0", value: d.selection.minPerList ?? "", placeholder: "no minimum" });
  const maxPer = h("input", { name: "maxPerList", type: "number", min: "1", value: d.selection.maxPerList ?? "", placeholder: "no maximum" });

  const form = h(
    "form",
    {
      class: "card defaults-form",
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const body = {
          visibility: visibility.value,
          expiresInDays: num(expires.value),
          downloadMode: downloads.value,
          priceSheetId: sheet.value || null,
          watermark: { enabled: wmOn.checked, text: wmText.value, position: wmPos.value, opacity: Number(wmOpacity.value) },
          selection: { listsAllowed: lists.checked, minPerList: num(minPer.value), maxPerList: num(maxPer.value) },
        };
        const saved = await api<GalleryDefaultsResponse>("PUT", path, body);
        said.className = saved.ok ? "muted" : "error";
        said.textContent = saved.ok ? "Saved: galleries you make from now on start like this." : errorOf(saved);
      },
    },
    h("h3", {}, "Who sees it"),
    field("Visibility", visibility, "A password is set per gallery."),
    field("Closes after (days)", expires, "Empty: open until you close it. Clients are told before it closes."),
    h("h3", {}, "Downloads and store"),
    field("Free downloads", downloads),
    field("Price sheet", sheet),
    h("h3", {}, "Watermark on previews"),
    h("label", { class: "check" }, wmOn, " Watermark previews"),
    field("Text", wmText, "Empty: your studio's name. A logo watermark is uploaded in a gallery's settings."),
    field("Position", wmPos),
    field("Opacity", wmOpacity),
    h("h3", {}, "Selection rules"),
    h("label", { class: "check" }, lists, " Clients may make named lists"),
    field("At least per list", minPer),
    field("At most per list", maxPer),
    owner ? h("button", { type: "submit" }, "Save defaults") : h("p", { class: "muted" }, "Only the studio's owners change the defaults."),
    said,
  );
  if (!owner) for (const el of form.querySelectorAll("input, select")) el.setAttribute("disabled", "");
  app.replaceChildren(
    h("p", {}, h("a", { href: "#/" }, "← All galleries")),
    h("div", { class: "gallery-head" }, h("h2", {}, "Defaults for new galleries")),
    h("p", { class: "muted" }, "Every gallery you make starts with these; change any of them in a gallery's own settings."),
    form,
  );
}
