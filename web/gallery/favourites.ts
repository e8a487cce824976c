// "My favourites": the client's current list in one grid, fetched by id (a hundred at a time) from
// what is not loaded yet, so a 5,000-photo gallery need not be scrolled through to see them. The
// sets step aside while it shows; the lightbox steps through the favourites alone.
import type { GalleryPagePhoto } from "../../worker/contract/galleries";
import { h } from "../lib/dom";
import { type Sections, tile } from "./sections";

export interface FavouritesHooks {
  pickedIds(): string[];
  /** Tiles put up (to decorate) and taken down (to forget). */
  shown(added: HTMLLIElement[], removed: HTMLLIElement[]): void;
}

export class Favourites {
  photos: GalleryPagePhoto[] = [];
  readonly button: HTMLButtonElement;
  readonly #grid = h("ul", { class: "grid" });
  readonly #heading = h("h2", {}, "My favourites");
  readonly #section = h("section", { class: "photo-set favourites", hidden: true }, this.#heading, this.#grid);

  constructor(
    private readonly sections: Sections,
    private readonly hooks: FavouritesHooks,
  ) {
    document.querySelector(".gallery-main")!.prepend(this.#section);
    this.button = h("button", { type: "button", class: "ghost", "aria-pressed": "false", onclick: () => void this.toggle() }, "♥ My favourites");
  }

  /** The heading's count against the gallery's limit, kept current as hearts change. */
  count(listName: string | null, n: number, max: number | null): void {
    this.#heading.textContent = `${listName ?? "My favourites"} · ♥ ${n}${max !== null ? ` of ${max}` : ""}`;
  }

  /** Shows another list's photos when the client switches lists while the view is open. */
  async refresh(): Promise<void> {
    if (this.button.getAttribute("aria-pressed") === "true") await this.#fill();
  }

  async toggle(): Promise<void> {
    const on = this.button.getAttribute("aria-pressed") !== "true";
    this.button.setAttribute("aria-pressed", String(on));
    document.body.classList.toggle("favourites-only", on);
    this.#section.hidden = !on;
    if (on) await this.#fill();
  }

  async #fill(): Promise<void> {
    this.photos = await this.sections.byIds(this.hooks.pickedIds());
    const removed = [...this.#grid.querySelectorAll<HTMLLIElement>("li[data-photo-id]")];
    const added = this.photos.map(tile);
    this.#grid.replaceChildren(...added);
    if (added.length === 0) this.#grid.append(h("li", { class: "empty muted" }, "No favourites yet: tap ♡ on a photo."));
    this.hooks.shown(added, removed);
    window.scrollTo({ top: 0 });
  }
}
