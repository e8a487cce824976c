// The photos tab's grid at any size: tiles exist only for the rows on screen and a few around
// them, and the photos behind them are fetched a page at a time as the scroll reaches them, so a
// 5,000-photo wedding keeps a few dozen tiles in the page, not 5,000. Rows have one height, so the
// scrollbar is right before anything is loaded and a row's place is a multiplication.
import type { Page } from "../../worker/contract/paging";
import type { PhotoView } from "../../worker/contract/photos";
import { h } from "../lib/dom";
import { api } from "./api";

const PAGE = 200;
const MIN_TILE = 150;
const GAP = 10;
// Rows drawn beyond the screen on each side, so a quick scroll does not show blanks.
const OVERSCAN = 3;

export class PhotoGrid {
  readonly el = h("div", { class: "photo-grid" });
  readonly #list = h("ul", { class: "photo-admin" });
  /** The photos loaded so far, in gallery order, from the first. */
  photos: PhotoView[] = [];
  #next: string | null | undefined;
  #loading: Promise<void> | null = null;
  #rowHeight = 0;
  #drawn = new Map<string, { li: HTMLElement; key: string }>();
  readonly #onScroll = () => this.draw();
  readonly #onResize = () => {
    this.#rowHeight = 0;
    this.draw();
  };

  constructor(
    private path: string,
    private total: number,
    private readonly tile: (p: PhotoView, index: number) => HTMLElement,
    private readonly keyOf: (p: PhotoView) => string,
  ) {
    this.el.append(this.#list);
    window.addEventListener("scroll", this.#onScroll, { passive: true });
    window.addEventListener("resize", this.#onResize);
  }

  destroy(): void {
    window.removeEventListener("scroll", this.#onScroll);
    window.removeEventListener("resize", this.#onResize);
  }

  /** Starts again from the first photo: another set shown, or the order changed. */
  reset(path: string, total: number): void {
    this.path = path;
    this.total = total;
    this.photos = [];
    this.#next = undefined;
    this.#rowHeight = 0;
    this.#drawn.clear();
    this.#list.replaceChildren();
    this.draw();
  }

  /** The gallery grew or shrank (uploads, deletes): the grid's height follows, and a list that was
   *  read to its end is read again (the tiles already drawn are kept, so nothing flickers). */
  setTotal(total: number): void {
    if (total !== this.total && this.#next === null) {
      this.photos = [];
      this.#next = undefined;
    }
    this.total = total;
    this.draw();
  }

  /** Photos whose state changed (from a refresh), redrawn where they are shown. */
  update(changed: PhotoView[]): void {
    const byId = new Map(changed.map((p) => [p.id, p]));
    this.photos = this.photos.map((p) => byId.get(p.id) ?? p);
    this.draw();
  }

  /** Ids of the photos on screen now. */
  visibleIds(): string[] {
    return [...this.#drawn.keys()];
  }

  #columns(): number {
    return Math.max(1, Math.floor((this.el.clientWidth + GAP) / (MIN_TILE + GAP)));
  }

  async #loadUpTo(index: number): Promise<void> {
    while (this.photos.length <= index && this.#next !== null && this.photos.length < this.total) {
      if (!this.#loading) {
        const path = this.path;
        const sep = path.includes("?") ? "&" : "?";
        const cursor = this.#next ? `&cursor=${encodeURIComponent(this.#next)}` : "";
        this.#loading = api<Page<"photos", PhotoView>>("GET", `${path}${sep}limit=${PAGE}${cursor}`).then((res) => {
          this.#loading = null;
          // A reset meanwhile: this page belongs to the old list.
          if (path !== this.path) return;
          if (!res.ok) {
            this.#next = null;
            return;
          }
          this.photos.push(...res.data.photos);
          this.#next = res.data.next;
        });
      }
      await this.#loading;
    }
  }

  draw(): void {
    if (!this.el.isConnected) return;
    const cols = this.#columns();
    const rows = Math.ceil(this.total / cols);
    // Nothing to measure a row by until the first page is in.
    if (this.photos.length === 0 && this.total > 0 && this.#next !== null) {
      void this.#loadUpTo(0).then(() => this.photos.length > 0 && this.draw());
      return;
    }
    if (!this.#rowHeight && this.photos.length > 0) this.#rowHeight = this.#measure();
    const rowHeight = this.#rowHeight || 1;
    this.el.style.height = `${rows * rowHeight}px`;
    const top = this.el.getBoundingClientRect().top;
    const firstRow = Math.max(0, Math.floor(-top / rowHeight) - OVERSCAN);
    const lastRow = Math.min(rows - 1, Math.ceil((innerHeight - top) / rowHeight) + OVERSCAN);
    const from = firstRow * cols;
    const to = Math.min(this.total, (lastRow + 1) * cols) - 1;
    if (to >= this.photos.length && this.#next !== null) {
      void this.#loadUpTo(to).then(() => this.draw());
    }
    this.#list.style.gridTemplateColumns = `repeat(${cols}, 1fr)`;
    this.#list.style.transform = `translateY(${firstRow * rowHeight}px)`;
    const shown = this.photos.slice(from, to + 1);
    const keep = new Set<string>();
    const lis = shown.map((p, i) => {
      const key = this.keyOf(p);
      let t = this.#drawn.get(p.id);
      if (!t || t.key !== key) {
        t = { li: this.tile(p, from + i), key };
        this.#drawn.set(p.id, t);
      }
      keep.add(p.id);
      return t.li;
    });
    for (const id of [...this.#drawn.keys()]) if (!keep.has(id)) this.#drawn.delete(id);
    // Only what changed moves in the DOM: a tile whose image is loading is not re-created.
    const current = [...this.#list.children];
    if (current.length !== lis.length || lis.some((li, i) => current[i] !== li)) this.#list.replaceChildren(...lis);
  }

  /** One row's height: the tallest of the first tiles as drawn now, plus the gap; every row gets it. */
  #measure(): number {
    const probes = this.photos.slice(0, 12).map((p, i) => this.tile(p, i));
    this.#list.style.gridTemplateColumns = `repeat(${this.#columns()}, 1fr)`;
    this.#list.style.gridAutoRows = "auto";
    this.#list.replaceChildren(...probes);
    const height = Math.max(...probes.map((li) => li.getBoundingClientRect().height));
    this.#list.replaceChildren();
    this.#drawn.clear();
    this.#list.style.gridAutoRows = `${Math.ceil(height)}px`;
    return Math.ceil(height) + GAP;
  }
}
