// One gallery in the dashboard: a header with the client link, and three tabs — photos (drop
// files to upload; each shows its state), proofing (live) and settings.
import { h, toast } from "../lib/dom";
import { api, errorOf, type GalleryView, galleriesPath, type PhotoView, type Studio, studioOrigin } from "./api";
import { renderProofing, stopProofing } from "./proofing";
import { renderSettings } from "./settings";
import { Uploader } from "./uploader";

const uploaders = new Map<string, Uploader>();
let poll: ReturnType<typeof setTimeout> | null = null;

export async function renderGallery(app: HTMLElement, studio: Studio, galleryId: string, tab: string): Promise<void> {
  if (poll) clearTimeout(poll);
  stopProofing();
  const base = `${galleriesPath(studio)}/${galleryId}`;
  const res = await api<{ gallery: GalleryView }>("GET", base);
  if (!res.ok) return void app.replaceChildren(h("p", { class: "error" }, "No such gallery."), h("a", { href: "#/" }, "All galleries"));
  const g = res.data.gallery;
  const clientUrl = `${studioOrigin(studio)}/g/${g.id}`;
  const tabs = ["photos", "proofing", "settings"].map((t) => h("a", { href: `#/g/${g.id}/${t}`, class: t === tab ? "tab active" : "tab", "aria-current": t === tab ? "page" : null }, t[0]!.toUpperCase() + t.slice(1)));
  const body = h("div", { class: "tab-body" });
  app.replaceChildren(
    h("p", {}, h("a", { href: "#/" }, "← All galleries")),
    h("div", { class: "gallery-head" }, h("h2", {}, g.title), h("a", { href: clientUrl, target: "_blank", rel: "noopener" }, "Open client view ↗")),
    inviteBox(base), h("nav", { class: "tabs" }, ...tabs), body);
  if (tab === "proofing") return renderProofing(body, base, g);
  if (tab === "settings") return renderSettings(body, base, g);
  await renderPhotos(body, base);
}

/** A personal link for one client: opens the gallery under their name, no password to type. */
function inviteBox(base: string): HTMLElement {
  const name = h("input", { name: "name", placeholder: "Client's name", required: true, maxlength: 100, "aria-label": "Client's name" });
  const email = h("input", { name: "email", type: "email", placeholder: "Email (optional)", "aria-label": "Client's email" });
  const out = h("div", { class: "invite-out", role: "status" });
  const form = h("form", { class: "inline-form", onsubmit: async (e) => {
    e.preventDefault();
    const res = await api<{ invite: { url: string; name: string } }>("POST", `${base}/invites`, { name: name.value, ...(email.value ? { email: email.value } : {}) });
    if (!res.ok) return void out.replaceChildren(h("span", { class: "error" }, errorOf(res)));
    const link = h("input", { class: "invite-link", readonly: true, value: res.data.invite.url, "aria-label": `Invite link for ${res.data.invite.name}` });
    out.replaceChildren(h("span", {}, `Link for ${res.data.invite.name}: `), link, h("button", { type: "button", onclick: async () => {
      await navigator.clipboard.writeText(link.value).catch(() => link.select());
      toast("Invite link copied.");
    } }, "Copy"));
    form.reset();
  } }, name, email, h("button", { type: "submit" }, "Create invite link"));
  return h("details", { class: "invite" }, h("summary", {}, "Invite a client"), form, out);
}

async function renderPhotos(body: HTMLElement, base: string): Promise<void> {
  const photosPath = `${base}/photos`;
  const grid = h("ul", { class: "photo-admin" });
  const progress = h("div", { class: "upload-progress", hidden: true });
  let uploader = uploaders.get(base);
  // Tiles are kept and changed only when their photo's state or version changes, so the
  // refresh while photos process costs one list request, not a thousand image requests.
  const tiles = new Map<string, { li: HTMLLIElement; key: string }>();
  const draw = async (): Promise<boolean> => {
    const res = await api<{ photos: PhotoView[] }>("GET", photosPath);
    if (!res.ok) return true;
    const seen = new Set<string>();
    let prev: HTMLLIElement | null = null;
    for (const p of res.data.photos) {
      seen.add(p.id);
      const key = `${p.status}|${p.urls?.thumb ?? ""}|${p.failureReason ?? ""}`;
      let tile = tiles.get(p.id);
      if (!tile || tile.key !== key) {
        const version = p.urls?.thumb.split("?")[1] ?? "";
        const li = h("li", { class: `ph ${p.status}`, "data-status": p.status, title: p.failureReason ?? p.status },
          p.status === "ready" ? h("img", { src: `${photosPath}/${p.id}/thumb.jpg?${version}`, alt: p.filename, loading: "lazy" })
            : h("div", { class: "ph-wait" }, p.status === "failed" ? `failed: ${p.failureReason ?? "unknown"}` : p.status === "uploading" ? "waiting for upload…" : "processing…"),
          h("span", { class: "ph-name" }, p.filename));
        if (tile) tile.li.replaceWith(li);
        tile = { li, key };
        tiles.set(p.id, tile);
      }
      if (tile.li.previousElementSibling !== prev || !tile.li.isConnected) (prev ? prev.after(tile.li) : grid.prepend(tile.li));
      prev = tile.li;
    }
    for (const [id, t] of tiles) if (!seen.has(id)) (t.li.remove(), tiles.delete(id));
    return res.data.photos.some((p) => p.status === "processing" || p.status === "uploading");
  };
  const drawProgress = () => {
    if (!uploader) return;
    const t = uploader.totals;
    progress.hidden = t.files === 0;
    const pct = t.bytes ? Math.round((t.sent / t.bytes) * 100) : 0;
    progress.replaceChildren(
      h("div", { class: "bar" }, h("span", { style: `width:${pct}%` })),
      h("p", {}, `${t.done} of ${t.files} files uploaded · ${pct}%${t.failed ? ` · ${t.failed} failed` : ""} `,
        t.done + t.failed === t.files ? ""
          : uploader.paused ? h("button", { type: "button", onclick: () => uploader!.resume() }, "Resume") : h("button", { type: "button", onclick: () => uploader!.pause() }, "Pause")),
      h("ul", { class: "upload-files" }, ...uploader.items.filter((i) => i.state !== "done").slice(0, 50).map((i) =>
        h("li", {}, `${i.file.name} — ${i.state}${i.state === "uploading" ? ` ${Math.round((i.sent / Math.max(1, i.file.size)) * 100)}%` : ""}`,
          i.error ? h("span", { class: "error" }, ` ${i.error} `) : "",
          i.state === "failed" ? h("button", { type: "button", onclick: () => uploader!.retry(i) }, "Retry") : ""))));
  };
  if (!uploader) {
    uploader = new Uploader(photosPath, () => {});
    uploaders.set(base, uploader);
  }
  uploader.onChange = () => {
    requestAnimationFrame(drawProgress);
    // New files after everything had settled: watch the grid again.
    if (!poll && grid.isConnected) poll = setTimeout(() => void tick(), 1000);
  };
  const input = h("input", { type: "file", multiple: true, accept: "image/jpeg,image/png,image/webp", hidden: true, onchange: () => uploader!.add(input.files ?? []) });
  const drop = h("div", { class: "dropzone", tabindex: 0, onclick: () => input.click(), onkeydown: (e) => (e as KeyboardEvent).key === "Enter" && input.click() },
    h("strong", {}, "Drop photos here"), h("span", { class: "muted" }, " or click to choose (JPEG, PNG, WebP)"), input);
  drop.addEventListener("dragover", (e) => {
    e.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    uploader!.add(e.dataTransfer?.files ?? []);
  });
  body.replaceChildren(drop, progress, grid);
  drawProgress();
  // Refreshes while something is on its way; stops once every photo is ready or failed.
  const tick = async () => {
    if (!grid.isConnected) return void (poll = null);
    const busy = (await draw()) || uploader!.items.some((i) => i.state !== "done" && i.state !== "failed");
    poll = busy ? setTimeout(() => void tick(), 2000) : null;
  };
  await tick();
}
