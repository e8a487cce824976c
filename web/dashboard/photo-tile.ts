// One photo in the photos tab: its thumbnail (or why there is none yet), its set, cover, retry and
// delete; and a drag handle: dropping a photo on another puts it just before that one.
import type { GalleryResponse, GalleryView } from "../../worker/contract/galleries";
import type { PhotoView } from "../../worker/contract/photos";
import { h, toast } from "../lib/dom";
import { api, errorOf } from "./api";

export interface TileHooks {
  base: string;
  g: GalleryView;
  act: (method: string, path: string, payload: unknown, done: string) => Promise<void>;
  /** A photo (by id) was dropped on this tile. */
  dragged: (photoId: string) => void;
  changed: () => void;
}

const waiting = (p: PhotoView) =>
  p.status === "failed"
    ? `failed: ${p.failureReason ?? "unknown"}`
    : p.stuck
      ? "stuck — retry it"
      : p.status === "uploading"
        ? "waiting for upload…"
        : "processing…";

const DRAG_TYPE = "application/x-loupe-photo";

export function photoTile(p: PhotoView, on: TileHooks): HTMLLIElement {
  const { base, g, act } = on;
  const photosPath = `${base}/photos`;
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
  const li = h(
    "li",
    { class: `ph ${p.status}${cover ? " cover" : ""}`, "data-status": p.status, "data-id": p.id, title: p.failureReason ?? p.status, draggable: "true" },
    // A photo being re-rendered (a new watermark) keeps showing its last thumbnail meanwhile.
    p.urls && p.status !== "failed"
      ? h("img", { src: `${photosPath}/${p.id}/thumb.jpg?${version}`, alt: p.filename, loading: "lazy", draggable: "false" })
      : h("div", { class: "ph-wait" }, waiting(p)),
    cover ? h("span", { class: "ph-badge" }, "Cover") : "",
    // Flags, never filters: a soft frame is the photographer's call, and stays in the gallery.
    p.soft ? h("span", { class: "ph-badge soft", title: "Likely soft: less sharp than the other frames of its burst, or blurred" }, "Soft?") : "",
    p.stackId ? h("span", { class: "ph-stack", title: "One of a burst of similar frames: clients see them as one tile to compare" }, "▚ Burst") : "",
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
                on.changed();
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
  li.addEventListener("dragstart", (e) => {
    e.dataTransfer?.setData(DRAG_TYPE, p.id);
    if (e.dataTransfer) e.dataTransfer.effectAllowed = "move";
    li.classList.add("dragging");
  });
  li.addEventListener("dragend", () => li.classList.remove("dragging"));
  li.addEventListener("dragover", (e) => {
    if (!e.dataTransfer?.types.includes(DRAG_TYPE)) return;
    e.preventDefault();
    li.classList.add("drop-before");
  });
  li.addEventListener("dragleave", () => li.classList.remove("drop-before"));
  li.addEventListener("drop", (e) => {
    const id = e.dataTransfer?.getData(DRAG_TYPE);
    li.classList.remove("drop-before");
    if (!id) return;
    e.preventDefault();
    on.dragged(id);
  });
  return li;
}
