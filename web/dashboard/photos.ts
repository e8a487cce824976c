// The photos tab: drop files to upload, and manage what came in — sets to sort into, the cover,
// retry for a photo that failed or got stuck, delete. Tiles are kept and redrawn only when their
// photo changes, so the refresh while photos process costs one list request.
import type { GalleryResponse, GalleryView } from "../../worker/contract/galleries";
import type { PhotoView } from "../../worker/contract/photos";
import { h, toast } from "../lib/dom";
import { api, errorOf } from "./api";
import { allPages } from "./paging";
import { drawSetsBar } from "./sets";
import { Uploader } from "./uploader";

const uploaders = new Map<string, Uploader>();
let poll: ReturnType<typeof setTimeout> | null = null;

export function stopPhotos(): void {
  if (poll) clearTimeout(poll);
  poll = null;
}

const waiting = (p: PhotoView) =>
  p.status === "failed"
    ? `failed: ${p.failureReason ?? "unknown"}`
    : p.stuck
      ? "stuck — retry it"
      : p.status === "uploading"
        ? "waiting for upload…"
        : "processing…";

export async function renderPhotos(body: HTMLElement, base: string, g: GalleryView): Promise<void> {
  const photosPath = `${base}/photos`;
  const grid = h("ul", { class: "photo-admin" });
  const progress = h("div", { class: "upload-progress", hidden: true });
  const bar = h("div", { class: "sets-bar" });
  let uploader = uploaders.get(base);
  let filter = "all";
  let photos: PhotoView[] = [];
  const tiles = new Map<string, { li: HTMLLIElement; key: string }>();

  // PATCH and retry answer the photo (PhotoResponse), DELETE nothing; the grid is read again after.
  const act = async (method: string, path: string, payload: unknown, done: string) => {
    const res = await api<unknown>(method, path, payload);
    if (!res.ok) return void toast(errorOf(res), "error");
    toast(done);
    await tick();
  };
  const tile = (p: PhotoView) => {
    const version = p.urls?.thumb.split("?")[1] ?? "";
    const cover = g.coverPhotoId === p.id;
    const setSelect = h(
      "select",
      {
        "aria-label": `Set for ${p.filename}`,
        onchange: () => void act("PATCH", `${photosPath}/${p.id}`, { setId: setSelect.value || null }, `Moved "${p.filename}".`),
      },
      h("option", { value: "" }, "No set"),
      ...g.sets.map((s) => h("option", { value: s.id, selected: s.id === p.setId }, s.name)),
    );
    return h(
      "li",
      { class: `ph ${p.status}${cover ? " cover" : ""}`, "data-status": p.status, "data-id": p.id, title: p.failureReason ?? p.status },
      // A photo being re-rendered (a new watermark) keeps showing its last thumbnail meanwhile.
      p.urls && p.status !== "failed"
        ? h("img", { src: `${photosPath}/${p.id}/thumb.jpg?${version}`, alt: p.filename, loading: "lazy" })
        : h("div", { class: "ph-wait" }, waiting(p)),
      cover ? h("span", { class: "ph-badge" }, "Cover") : "",
      p.urls && p.status === "processing" ? h("span", { class: "ph-badge updating" }, p.stuck ? "Stuck" : "Updating…") : "",
      h("span", { class: "ph-name" }, p.filename),
      h(
        "div",
        { class: "ph-tools" },
        g.sets.length ? setSelect : "",
        p.status === "ready" && !cover
          ? h(
              "button",
              {
                type: "button",
                title: "Use as the gallery's cover",
                onclick: async () => {
                  const res = await api<GalleryResponse>("PATCH", base, { coverPhotoId: p.id });
                  if (!res.ok) return void toast(errorOf(res), "error");
                  g.coverPhotoId = p.id;
                  toast(`"${p.filename}" is the cover.`);
                  await tick();
                },
              },
              "Cover",
            )
          : "",
        p.status === "failed" || p.stuck
          ? h("button", { type: "button", onclick: () => void act("POST", `${photosPath}/${p.id}/retry`, undefined, `Sent "${p.filename}" again.`) }, "Retry")
          : "",
        h(
          "button",
          {
            type: "button",
            class: "danger",
            "aria-label": `Delete ${p.filename}`,
            title: "Delete",
            onclick: () =>
              confirm(`Delete "${p.filename}"? Clients will no longer see it.`) &&
              void act("DELETE", `${photosPath}/${p.id}`, undefined, `Deleted "${p.filename}".`),
          },
          "Delete",
        ),
      ),
    );
  };
  const layout = () => {
    const setsKey = `${g.coverPhotoId}|${g.sets.map((s) => `${s.id}:${s.name}`).join(",")}`;
    const seen = new Set<string>();
    let prev: HTMLLIElement | null = null;
    for (const p of photos) {
      seen.add(p.id);
      const key = `${p.status}|${p.urls?.thumb ?? ""}|${p.failureReason ?? ""}|${p.stuck}|${p.setId}|${setsKey}`;
      let t = tiles.get(p.id);
      if (!t || t.key !== key) {
        const li = tile(p);
        if (t) t.li.replaceWith(li);
        t = { li, key };
        tiles.set(p.id, t);
      }
      t.li.hidden = filter !== "all" && (filter === "none" ? p.setId !== null : p.setId !== filter);
      if (t.li.previousElementSibling !== prev || !t.li.isConnected) prev ? prev.after(t.li) : grid.prepend(t.li);
      prev = t.li;
    }
    for (const [id, t] of tiles) {
      if (seen.has(id)) continue;
      t.li.remove();
      tiles.delete(id);
    }
    drawSetsBar(bar, base, g, photos, filter, {
      filter: (f) => {
        filter = f;
        layout();
      },
      changed: () => void tick(),
    });
  };
  const draw = async (): Promise<boolean> => {
    const res = await allPages<"photos", PhotoView>(photosPath, "photos");
    if (!res.ok) return true;
    photos = res.data;
    layout();
    return photos.some((p) => (p.status === "processing" && !p.stuck) || p.status === "uploading");
  };
  const drawProgress = () => {
    if (!uploader) return;
    const t = uploader.totals;
    progress.hidden = t.files === 0;
    const pct = t.bytes ? Math.round((t.sent / t.bytes) * 100) : 0;
    progress.replaceChildren(
      h("div", { class: "bar" }, h("span", { style: `width:${pct}%` })),
      h(
        "p",
        {},
        `${t.done} of ${t.files} files uploaded · ${pct}%${t.failed ? ` · ${t.failed} failed` : ""} `,
        t.done + t.failed === t.files
          ? ""
          : uploader.paused
            ? h("button", { type: "button", onclick: () => uploader!.resume() }, "Resume")
            : h("button", { type: "button", onclick: () => uploader!.pause() }, "Pause"),
      ),
      h(
        "ul",
        { class: "upload-files" },
        ...uploader.items
          .filter((i) => i.state !== "done")
          .slice(0, 50)
          .map((i) =>
            h(
              "li",
              {},
              `${i.file.name} — ${i.state}${i.state === "uploading" ? ` ${Math.round((i.sent / Math.max(1, i.file.size)) * 100)}%` : ""}`,
              i.error ? h("span", { class: "error" }, ` ${i.error} `) : "",
              i.state === "failed" ? h("button", { type: "button", onclick: () => uploader!.retry(i) }, "Retry") : "",
            ),
          ),
      ),
    );
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
  const input = h("input", {
    type: "file",
    multiple: true,
    accept: "image/jpeg,image/png,image/webp",
    hidden: true,
    onchange: () => uploader!.add(input.files ?? []),
  });
  const drop = h(
    "div",
    { class: "dropzone", tabindex: 0, onclick: () => input.click(), onkeydown: (e) => (e as KeyboardEvent).key === "Enter" && input.click() },
    h("strong", {}, "Drop photos here"),
    h("span", { class: "muted" }, " or click to choose (JPEG, PNG, WebP)"),
    input,
  );
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
  body.replaceChildren(drop, progress, bar, grid);
  drawProgress();
  // Refreshes while something is on its way; stops once every photo is ready, failed or stuck.
  const tick = async () => {
    if (poll) clearTimeout(poll);
    if (!grid.isConnected) {
      poll = null;
      return;
    }
    const busy = (await draw()) || uploader!.items.some((i) => i.state !== "done" && i.state !== "failed");
    poll = busy ? setTimeout(() => void tick(), 2000) : null;
  };
  await tick();
}
