// Similar shots in the client grid: a burst (frames alike, seconds apart) shows as its first frame
// with "5 similar"; the others step aside until picked (a picked frame always shows in the grid).
// "Compare" lays the burst's frames side by side, each with its heart, to choose the best.
import type { GalleryPagePhoto } from "../../worker/contract/galleries";
import { h } from "../lib/dom";

export interface StackHooks {
  frames(stackId: string): Promise<GalleryPagePhoto[]>;
  isPicked(photoId: string): boolean;
  togglePick(photoId: string): void;
  open(photos: GalleryPagePhoto[], index: number): void;
}

export class Stacks {
  // Per burst: the tile that stands for it, and every tile of its frames seen so far.
  readonly #stacks = new Map<string, { head: HTMLLIElement; tiles: Set<HTMLLIElement>; size: number }>();
  readonly #dialog = h("dialog", { class: "shop-dialog compare-dialog" });
  #shown: { stackId: string; frames: GalleryPagePhoto[] } | null = null;

  constructor(private readonly hooks: StackHooks) {
    document.body.append(this.#dialog);
  }

  /** A tile arrived: the first of its burst leads it, the rest step aside. */
  add(li: HTMLLIElement): void {
    const stackId = li.dataset.stack;
    if (!stackId) return;
    const size = Number(li.dataset.stackSize ?? 0);
    const known = this.#stacks.get(stackId);
    if (known) {
      known.tiles.add(li);
      return;
    }
    const badge = h(
      "button",
      { type: "button", class: "stack-badge", title: "Compare these similar frames", onclick: () => void this.compare(stackId) },
      `▚ ${size} similar`,
    );
    li.classList.add("stack-head");
    li.append(badge);
    this.#stacks.set(stackId, { head: li, tiles: new Set([li]), size });
  }

  /** Frames not leading their burst hide unless picked; the lead says how many are picked. */
  render(): void {
    for (const { head, tiles, size } of this.#stacks.values()) {
      let picked = 0;
      for (const li of tiles) {
        const on = this.hooks.isPicked(li.dataset.photoId!);
        if (on) picked++;
        li.classList.toggle("stacked", li !== head && !on);
      }
      head.querySelector(".stack-badge")!.textContent = `▚ ${size} similar${picked ? ` · ♥ ${picked}` : ""}`;
    }
    if (this.#shown && this.#dialog.open) this.#draw();
  }

  async compare(stackId: string): Promise<void> {
    this.#shown = { stackId, frames: await this.hooks.frames(stackId) };
    this.#draw();
    if (!this.#dialog.open) this.#dialog.showModal();
  }

  #draw(): void {
    const { frames } = this.#shown!;
    this.#dialog.replaceChildren(
      h("button", { type: "button", class: "close", "aria-label": "Close", onclick: () => this.#dialog.close() }, "×"),
      h("h2", {}, `${frames.length} similar frames`),
      h("p", { class: "muted" }, "Pick the one you like best; the others stay a tap away."),
      h(
        "ul",
        { class: "compare" },
        ...frames.map((p, i) => {
          const on = this.hooks.isPicked(p.id);
          return h(
            "li",
            { "data-photo-id": p.id },
            h(
              "button",
              {
                type: "button",
                class: "compare-photo",
                onclick: () => {
                  this.#dialog.close();
                  this.hooks.open(frames, i);
                },
              },
              h("img", { src: p.preview, alt: p.filename, loading: "lazy" }),
            ),
            h(
              "button",
              {
                type: "button",
                class: "heart",
                "aria-pressed": String(on),
                "aria-label": `Favourite ${p.filename}`,
                onclick: () => this.hooks.togglePick(p.id),
              },
              on ? "♥" : "♡",
            ),
            h("span", { class: "muted" }, p.filename),
          );
        }),
      ),
    );
  }
}
