// The gallery page's sections (a set each, and the photos in no set), filled a page at a time:
// the page arrives with the first screenful, and each section fetches its next page as its end
// nears the screen, so a 5,000-photo wedding opens as fast as a 100-photo one. Jumping to a set
// scrolls to its section, which then loads on its own; favourites are fetched by id.
import type { ClientPhotosResponse, GalleryPageData, GalleryPagePhoto } from "../../worker/contract/galleries";
import { h } from "../lib/dom";
import { readResult } from "../lib/result";

const PAGE = 100;

interface Section {
  setId: string;
  grid: HTMLUListElement;
  pending: HTMLElement;
  loaded: GalleryPagePhoto[];
  unloaded: number;
  /** The cursor of the section's next page; undefined before the first, null once whole. */
  next: string | null | undefined;
  loading: boolean;
}

export function tile(p: GalleryPagePhoto): HTMLLIElement {
  return h(
    "li",
    { style: `--ar:${p.width ?? 3}/${p.height ?? 2}`, "data-photo-id": p.id, "data-stack": p.stack?.id, "data-stack-size": p.stack?.size },
    h("a", { href: p.preview }, h("img", { src: p.thumb, alt: p.filename, loading: "lazy", width: p.width, height: p.height })),
  );
}

export class Sections {
  /** Every photo loaded so far, in page order: what the lightbox steps through. */
  readonly photos: GalleryPagePhoto[] = [];
  readonly #sections: Section[] = [];
  readonly #observer: IntersectionObserver;

  constructor(
    private readonly data: GalleryPageData,
    private readonly onTiles: (tiles: HTMLLIElement[]) => void,
  ) {
    this.#observer = new IntersectionObserver(
      (entries) => {
        for (const e of entries) {
          const s = this.#sections.find((x) => x.pending === e.target);
          if (e.isIntersecting && s) void this.#load(s);
        }
      },
      { rootMargin: "1500px 0px" },
    );
    for (const el of document.querySelectorAll<HTMLElement>(".photo-set[data-set]")) {
      const setId = el.dataset.set ?? "";
      const first = setId === data.first.setId;
      const loaded = first ? [...data.first.photos] : [];
      const pending = h("div", { class: "pending", "aria-hidden": "true" });
      el.append(pending);
      const s: Section = {
        setId,
        grid: el.querySelector("ul.grid")!,
        pending,
        loaded,
        unloaded: Number(el.dataset.count ?? 0) - loaded.length,
        next: first ? data.first.next : undefined,
        loading: false,
      };
      this.#sections.push(s);
      this.#observe(s);
    }
    this.#reorder();
  }

  get total(): number {
    return this.data.total;
  }

  #observe(s: Section): void {
    s.pending.style.setProperty("--unloaded", String(Math.max(0, s.unloaded)));
    this.#observer.unobserve(s.pending);
    // Observing afresh reports whether the end is still in sight: a short page loads the next.
    if (s.next !== null) this.#observer.observe(s.pending);
    else s.pending.remove();
  }

  #reorder(): void {
    this.photos.splice(0, this.photos.length, ...this.#sections.flatMap((s) => s.loaded));
  }

  async #load(s: Section): Promise<void> {
    if (s.loading || s.next === null) return;
    s.loading = true;
    const cursor = s.next ? `&cursor=${encodeURIComponent(s.next)}` : "";
    const res = await readResult<ClientPhotosResponse>(await fetch(`/g/${this.data.galleryId}/photos?set=${s.setId || "none"}&limit=${PAGE}${cursor}`));
    s.loading = false;
    if (!res.ok) {
      s.pending.replaceChildren(
        h("p", { class: "muted" }, res.data.error?.message ?? "These photos could not be loaded."),
        h("button", { type: "button", onclick: () => void this.#load(s) }, "Try again"),
      );
      return;
    }
    s.pending.replaceChildren();
    const tiles = res.data.photos.map(tile);
    s.grid.append(...tiles);
    s.loaded.push(...res.data.photos);
    s.unloaded -= res.data.photos.length;
    s.next = res.data.next;
    this.#reorder();
    this.onTiles(tiles);
    this.#observe(s);
  }

  /** The frames of one burst of similar shots, in page order. */
  async stack(stackId: string): Promise<GalleryPagePhoto[]> {
    const res = await readResult<ClientPhotosResponse>(await fetch(`/g/${this.data.galleryId}/photos?stack=${encodeURIComponent(stackId)}`));
    return res.ok ? res.data.photos : [];
  }

  /** The photos with these ids, from what is loaded or fetched a hundred at a time. */
  async byIds(ids: string[]): Promise<GalleryPagePhoto[]> {
    const known = new Map(this.photos.map((p) => [p.id, p]));
    const missing = ids.filter((id) => !known.has(id));
    for (let i = 0; i < missing.length; i += PAGE) {
      const res = await readResult<ClientPhotosResponse>(await fetch(`/g/${this.data.galleryId}/photos?ids=${missing.slice(i, i + PAGE).join(",")}`));
      if (res.ok) for (const p of res.data.photos) known.set(p.id, p);
    }
    return ids.flatMap((id) => known.get(id) ?? []);
  }
}
