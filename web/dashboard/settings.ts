// A gallery's settings: title, who may open it, expiry, downloads, watermark and the selection
// rules. Only what changed is sent; the API names the field of anything it refuses.
import {
  type DownloadMode,
  downloadModes,
  type GalleryResponse,
  type GalleryView,
  type Visibility,
  visibilities,
  type WatermarkPosition,
  watermarkPositions,
} from "../../worker/contract/galleries";
import type { PriceSheetsResponse } from "../../worker/contract/store";
import { h, toast } from "../lib/dom";
import { readResult } from "../lib/result";
import { api, errorOf } from "./api";

const num = (v: FormDataEntryValue | null) => (v === null || v === "" ? null : Number(v));
/** A timestamp as a datetime-local value, in the photographer's own time zone. */
const local = (ms: number | null) => (ms ? new Date(ms - new Date().getTimezoneOffset() * 60000).toISOString().slice(0, 16) : "");
export const VISIBILITY: Record<Visibility, string> = { public: "Public — listed on your site", unlisted: "Anyone with the link", password: "Password" };
export const DOWNLOADS: Record<DownloadMode, string> = { off: "Off", web: "Web size", high_res: "High resolution", original: "Originals" };
export const POSITIONS: Record<WatermarkPosition, string> = {
  center: "Centre",
  "top-left": "Top left",
  "top-right": "Top right",
  "bottom-left": "Bottom left",
  "bottom-right": "Bottom right",
};

export async function renderSettings(body: HTMLElement, base: string, g: GalleryView): Promise<void> {
  const sheets = await api<PriceSheetsResponse>("GET", `${base.replace(/\/galleries\/[^/]+$/, "")}/store/price-sheets`);
  const sheetSelect = h(
    "select",
    { name: "priceSheetId" },
    h("option", { value: "" }, "Nothing for sale"),
    ...(sheets.ok ? sheets.data.priceSheets : []).map((s) => h("option", { value: s.id, selected: s.id === g.priceSheetId }, s.name)),
  );
  const result = h("p", { role: "status" });
  const opt = (value: string, label: string, current: string) => h("option", { value, selected: value === current }, label);
  const kind = h(
    "select",
    { name: "wmKind" },
    opt("text", "Text", g.watermark.kind),
    h("option", { value: "logo", selected: g.watermark.kind === "logo", disabled: !g.watermark.hasLogo }, "Logo"),
  );
  const logoStatus = h("p", { class: "muted", role: "status" }, g.watermark.hasLogo ? "A logo is uploaded." : "");
  // Sent on its own as soon as it is chosen: the server checks it is a PNG and re-renders previews.
  const logo = h("input", {
    type: "file",
    accept: "image/png",
    onchange: async () => {
      const file = logo.files?.[0];
      if (!file) return;
      logoStatus.textContent = "Uploading the logo…";
      const res = await fetch(`${base}/watermark/logo`, { method: "PUT", body: file, headers: { "content-type": "image/png" }, credentials: "same-origin" });
      const out = await readResult<GalleryResponse>(res);
      if (!out.ok) {
        logoStatus.className = "error";
        logoStatus.textContent = out.data.error?.message ?? `The logo could not be uploaded (${res.status}).`;
        return;
      }
      g.watermark = out.data.gallery.watermark;
      (kind.querySelector("option[value=logo]") as HTMLOptionElement).disabled = false;
      kind.value = "logo";
      logoStatus.className = "muted";
      logoStatus.textContent = "Logo uploaded; previews are being re-rendered with it.";
      toast("Logo watermark saved.");
    },
  });
  const form = h(
    "form",
    {
      class: "card settings",
      onsubmit: async (e) => {
        e.preventDefault();
        const f = new FormData(form);
        const patch: Record<string, unknown> = {
          title: f.get("title"),
          description: f.get("description"),
          visibility: f.get("visibility"),
          requireEmail: f.get("requireEmail") === "on",
          showExif: f.get("showExif") === "on",
          expiresAt: f.get("expiresAt") ? new Date(String(f.get("expiresAt"))).toISOString() : null,
          downloads: {
            mode: f.get("downloads"),
            who: f.get("downloadWho"),
            limit: num(f.get("downloadLimit")),
            ...(f.get("pinClear") === "on" ? { pin: null } : f.get("pin") ? { pin: f.get("pin") } : {}),
          },
          priceSheetId: f.get("priceSheetId") || null,
          watermark: {
            enabled: f.get("wmEnabled") === "on",
            kind: f.get("wmKind"),
            text: f.get("wmText"),
            opacity: Number(f.get("wmOpacity")),
            position: f.get("wmPosition"),
            scale: Number(f.get("wmScale")),
            thumbnails: f.get("wmThumbs") === "on",
          },
          selection: {
            listsAllowed: f.get("listsAllowed") === "on",
            minPerList: num(f.get("minPerList")),
            maxPerList: num(f.get("maxPerList")),
            dueAt: f.get("dueAt") ? new Date(String(f.get("dueAt"))).getTime() : null,
            lockAtDue: f.get("lockAtDue") === "on",
          },
        };
        if (f.get("password")) patch.password = f.get("password");
        const res = await api<GalleryResponse>("PATCH", base, patch);
        result.className = res.ok ? "muted" : "error";
        result.textContent = res.ok ? "Saved." : errorOf(res);
        if (res.ok) toast("Settings saved.");
      },
    },
    h("label", {}, "Title", h("input", { name: "title", value: g.title, required: true, maxlength: 120 })),
    h("label", {}, "Description", h("textarea", { name: "description", rows: 2, maxlength: 2000 }, g.description)),
    h("label", {}, "Who can open it", h("select", { name: "visibility" }, ...visibilities.map((v) => opt(v, VISIBILITY[v], g.visibility)))),
    h(
      "label",
      {},
      g.hasPassword ? "New password (leave empty to keep it)" : "Password",
      h("input", { name: "password", type: "password", minlength: 4, maxlength: 100, autocomplete: "new-password" }),
    ),
    h(
      "label",
      { class: "check" },
      h("input", { name: "requireEmail", type: "checkbox", checked: g.requireEmail }),
      " Ask visitors for their name and email before they see the photos",
    ),
    h("label", {}, "Closes on", h("input", { name: "expiresAt", type: "datetime-local", value: local(g.expiresAt) })),
    h(
      "label",
      { class: "check" },
      h("input", { name: "showExif", type: "checkbox", checked: g.showExif }),
      " Show camera details (camera, lens, exposure) beside each photo",
    ),
    h("label", {}, "Downloads", h("select", { name: "downloads" }, ...downloadModes.map((m) => opt(m, DOWNLOADS[m], g.downloads.mode)))),
    h(
      "label",
      {},
      g.downloads.pinRequired ? "New download PIN (4–8 digits; leave empty to keep it)" : "Download PIN (optional, 4–8 digits)",
      h("input", { name: "pin", inputmode: "numeric", pattern: "\\d{4,8}", maxlength: 8 }),
    ),
    g.downloads.pinRequired ? h("label", { class: "check" }, h("input", { name: "pinClear", type: "checkbox" }), " Remove the PIN") : "",
    h(
      "label",
      {},
      "Who may download",
      h(
        "select",
        { name: "downloadWho" },
        opt("everyone", "Everyone who can open the gallery", g.downloads.who ?? "everyone"),
        opt("invited", "Only clients I invited (other guests can only look)", g.downloads.who ?? "everyone"),
      ),
    ),
    h(
      "label",
      {},
      "Photos each person may download (empty: no limit)",
      h("input", { name: "downloadLimit", type: "number", min: 1, max: 100000, value: g.downloads.limit ?? "" }),
    ),
    h("label", {}, "Store (price sheet)", sheetSelect),
    h(
      "fieldset",
      {},
      h("legend", {}, "Watermark"),
      h("label", { class: "check" }, h("input", { name: "wmEnabled", type: "checkbox", checked: g.watermark.enabled }), " On"),
      h(
        "label",
        { class: "check" },
        h("input", { name: "wmThumbs", type: "checkbox", checked: g.watermark.thumbnails === true }),
        " On the thumbnails too (they are 600 px: enough for a screenshot)",
      ),
      h("label", {}, "Mark with", kind),
      h("label", {}, g.watermark.hasLogo ? "Replace the logo (PNG with transparency)" : "Logo (PNG with transparency)", logo),
      logoStatus,
      h("label", {}, "Text", h("input", { name: "wmText", value: g.watermark.text, maxlength: 60 })),
      h("label", {}, "Opacity", h("input", { name: "wmOpacity", type: "number", min: 0.05, max: 1, step: 0.05, value: g.watermark.opacity })),
      h(
        "label",
        {},
        "Size (share of the photo's width)",
        h("input", { name: "wmScale", type: "number", min: 0.05, max: 1, step: 0.05, value: g.watermark.scale }),
      ),
      h("label", {}, "Position", h("select", { name: "wmPosition" }, ...watermarkPositions.map((v) => opt(v, POSITIONS[v], g.watermark.position)))),
    ),
    h(
      "fieldset",
      {},
      h("legend", {}, "Selection"),
      h(
        "label",
        { class: "check" },
        h("input", { name: "listsAllowed", type: "checkbox", checked: g.selection.listsAllowed }),
        " Clients may make several lists",
      ),
      h("label", {}, "At least (per list)", h("input", { name: "minPerList", type: "number", min: 0, value: g.selection.minPerList ?? "" })),
      h("label", {}, "At most (per list)", h("input", { name: "maxPerList", type: "number", min: 1, value: g.selection.maxPerList ?? "" })),
      h("label", {}, "Selection due", h("input", { name: "dueAt", type: "datetime-local", value: local(g.selection.dueAt) })),
      h(
        "label",
        { class: "check" },
        h("input", { name: "lockAtDue", type: "checkbox", checked: !!g.selection.lockAtDue }),
        " Lock clients' lists at the due date",
      ),
    ),
    h("button", { type: "submit" }, "Save settings"),
    result,
  );
  body.replaceChildren(form, deleteSection(base, g));
}

/** Deleting says what goes with the gallery, and asks once more. */
function deleteSection(base: string, g: GalleryView): HTMLElement {
  const said = h("p", { role: "status" });
  const n = g.photos.total;
  const what = `"${g.title}" and its ${n} photo${n === 1 ? "" : "s"}, with every client's picks and comments in it`;
  return h(
    "section",
    { class: "danger-zone" },
    h("h3", {}, "Delete this gallery"),
    h("p", { class: "muted" }, `Removes ${what}. Clients' links stop working. This cannot be undone.`),
    h(
      "button",
      {
        type: "button",
        class: "danger",
        onclick: async () => {
          if (!confirm(`Delete ${what}? This cannot be undone.`)) return;
          const res = await api<unknown>("DELETE", base);
          if (res.ok) location.hash = "#/";
          else {
            said.className = "error";
            said.textContent = errorOf(res);
          }
        },
      },
      `Delete gallery and ${n} photo${n === 1 ? "" : "s"}`,
    ),
    said,
  );
}
