// The photos tab: drop files to upload, and manage what came in — sets to sort into, the cover,
// retry for a photo that failed or got stuck, delete, sort by filename or capture time, drag to
// reorder. The grid (photo-grid.ts) holds only the tiles on screen; the refresh while photos
// process reads the gallery's counts and the tiles on screen that are still on their way.
import type { GalleryResponse, GalleryView } from "../../worker/contract/galleries";
import type { Page } from "../../worker/contract/paging";
import type { PhotoView } from "../../worker/contract/photos";
import { h, toast } from "../lib/dom";
import { api, errorOf } from "./api";
import { PhotoGrid } from "./photo-grid";
import { photoTile } from "./photo-tile";
import { drawSetsBar } from "./sets";
import { Uploader } from "./uploader";

const uploaders = new Map<string, Uploader>();
let poll: ReturnType<typeof setTimeout> | null = null;

export function stopPhotos(): void {
  if (poll) clearTimeout(poll);
  poll = null;
}

export async function renderPhotos(body: HTMLElement, base: string, g: GalleryView): Promise<void> {
  const photosPath = `${base}/photos`;
  const progress = h("div", { class: "upload-progress", hidden: true });
  const bar = h("div", { class: "sets-bar" });
  let uploader = uploaders.get(base);
  let filter = "all";
  const shownPath = () => (filter === "all" ? photosPath : `${photosPath}?set=${filter}`);
  const shownTotal = () => (filter === "all" ? g.photos.total : (g.photos.bySet[filter] ?? 0));

  // PATCH and retry answer the photo (PhotoResponse), DELETE nothing; the grid is read again after.
  const act = async (method: string, path: string, payload: unknown, done: string) => {
    const res = await api<unknown>(method, path, payload);
    if (!res.ok) return void toast(errorOf(res), "error");
    toast(done);
    await refreshAll();
  };
  const tile = (p: PhotoView) => photoTile(p, { base, g, act, dragged: (from) => void move(from, p.id), changed: () => void refreshAll() });
  const grid = new PhotoGrid(
    shownPath(),
    shownTotal(),
    tile,
    (p) => `${p.status}|${p.urls?.thumb ?? ""}|${p.failureReason ?? ""}|${p.stuck}|${p.setId}|${g.coverPhotoId}`,
  );

  /** A photo dropped on another: it goes just before that one, and nothing else moves. */
  const move = async (photoId: string, onto: string) => {
    const index = grid.photos.findIndex((p) => p.id === onto);
    const target = grid.photos[index];
    if (!target || target.id === photoId) return;
    const before = grid.photos[index - 1];
    const low = before && before.id !== photoId ? before.position : target.position - 1;
    const position = (low + target.position) / 2;
    // Dragged into the same gap so often that the halves run out: the whole order is written anew.
    const res =
      position > low && position < target.position
        ? await api<unknown>("PATCH", `${photosPath}/${photoId}`, { position })
        : await api<unknown>("POST", `${photosPath}/order`, {
            photoIds: [
              ...grid.photos
                .slice(0, index)
                .map((p) => p.id)
                .filter((id) => id !== photoId),
              photoId,
            ],
          });
    if (!res.ok) return void toast(errorOf(res), "error");
    await refreshAll();
  };
  const sort = h(
    "select",
    {
      "aria-label": "Sort photos",
      onchange: async () => {
        const by = sort.value;
        sort.value = "";
        if (!by || !confirm(`Sort all ${g.photos.total} photos by ${by === "taken" ? "capture time" : "filename"}? This replaces the order.`)) return;
        const res = await api<unknown>("POST", `${photosPath}/sort`, { by });
        if (!res.ok) return void toast(errorOf(res), "error");
        toast(`Sorted by ${by === "taken" ? "capture time" : "filename"}.`);
        await refreshAll();
      },
    },
    h("option", { value: "" }, "Sort…"),
    h("option", { value: "filename" }, "By filename"),
    h("option", { value: "taken" }, "By capture time"),
  );
  const drawBar = () =>
    drawSetsBar(bar, base, g, filter, {
      filter: (f) => {
        filter = f;
        grid.reset(shownPath(), shownTotal());
        drawBar();
      },
      changed: () => void refreshAll(),
    });
  /** Counts anew and the grid from its first photo: after a sort, a move, a delete. */
  const refreshAll = async () => {
    const res = await api<GalleryResponse>("GET", base);
    if (res.ok) Object.assign(g, res.data.gallery);
    grid.reset(shownPath(), shownTotal());
    drawBar();
  };
  /** While photos are on their way: the counts, and the tiles on screen that were still waiting. */
  const draw = async (): Promise<boolean> => {
    const res = await api<GalleryResponse>("GET", base);
    if (!res.ok) return true;
    Object.assign(g, res.data.gallery);
    grid.setTotal(shownTotal());
    const waiting = grid.photos.filter((p) => grid.visibleIds().includes(p.id) && (p.status === "uploading" || p.status === "processing"));
    if (waiting.length) {
      const fresh = await api<Page<"photos", PhotoView>>("GET", `${photosPath}?ids=${waiting.map((p) => p.id).join(",")}`);
      if (fresh.ok) grid.update(fresh.data.photos);
    }
    drawBar();
    return g.photos.uploading + g.photos.processing > 0;
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
    if (!poll && grid.el.isConnected) poll = setTimeout(() => void tick(), 1000);
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
  body.replaceChildren(drop, progress, h("div", { class: "photos-head" }, bar, sort), grid.el);
  drawProgress();
  // Refreshes while something is on its way; stops once every photo is ready, failed or stuck.
  const tick = async () => {
    if (poll) clearTimeout(poll);
    if (!grid.el.isConnected) {
      poll = null;
      grid.destroy();
      return;
    }
    const busy = (await draw()) || uploader!.items.some((i) => i.state !== "done" && i.state !== "failed");
    poll = busy ? setTimeout(() => void tick(), 2000) : null;
  };
  drawBar();
  grid.draw();
  await tick();
}
