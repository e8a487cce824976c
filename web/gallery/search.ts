// "Find photos": the file numbers a client quotes from a message ("4107, 4109") as one grid across
// every set, a page at a time. The sets step aside while it shows, as for the favourites.
import type { ClientPhotosResponse, GalleryPagePhoto } from "../../worker/contract/galleries";
import { h } from "../lib/dom";
import { readResult } from "../lib/result";
import { tile } from "./sections";

const PAGE = 100;

export class PhotoSearch {
  photos: GalleryPagePhoto[] = [];
  readonly form: HTMLFormElement;
  readonly #input = h("input", {
    type: "search",
    name: "q",
    placeholder: "Find photo numbers, e.g. 4107, 4109",
    "aria-label": "Find photos by number",
    maxlength: "2000",
  }) as HTMLInputElement;
  readonly #grid = h("ul", { class: "grid" });
  readonly #said = h("p", { class: "muted", role: "status" });
  readonly #more = h("button", { type: "button", class: "ghost", hidden: true }, "More");
  readonly #section = h("section", { class: "photo-set search-results", hidden: true }, h("h2", {}, "Found"), this.#said, this.#grid, this.#more);
  #next: string | null = null;
  #query = "";

  constructor(
    private readonly galleryId: string,
    /** Tiles put up (to decorate) and taken down (to forget). */
    private readonly shown: (added: HTMLLIElement[], removed: HTMLLIElement[]) => void,
  ) {
    document.querySelector(".gallery-main")!.prepend(this.#section);
    this.form = h(
      "form",
      {
        class: "photo-search",
        role: "search",
        onsubmit: (e: Event) => {
          e.preventDefault();
          void this.find(this.#input.value);
        },
      },
      this.#input,
      h("button", { type: "button", class: "ghost", onclick: () => this.close() }, "Clear"),
    ) as HTMLFormElement;
    this.#more.addEventListener("click", () => void this.#page());
  }

  async find(query: string): Promise<void> {
    this.#query = query.trim();
    if (!this.#query) return this.close();
    document.body.classList.add("search-only");
    this.#section.hidden = false;
    const removed = [...this.#grid.querySelectorAll<HTMLLIElement>("li[data-photo-id]")];
    this.#grid.replaceChildren();
    this.photos = [];
    this.#next = null;
    this.shown([], removed);
    await this.#page();
    window.scrollTo({ top: 0 });
  }

  close(): void {
    this.#input.value = "";
    document.body.classList.remove("search-only");
    this.#section.hidden = true;
    const removed = [...this.#grid.querySelectorAll<HTMLLIElement>("li[data-photo-id]")];
    this.#grid.replaceChildren();
    this.photos = [];
    this.shown([], removed);
  }

  async #page(): Promise<void> {
    const cursor = this.#next ? `&cursor=${encodeURIComponent(this.#next)}` : "";
    const res = await readResult<ClientPhotosResponse>(await fetch(`/g/${this.galleryId}/photos?q=${encodeURIComponent(this.#query)}&limit=${PAGE}${cursor}`));
    if (!res.ok) {
      this.#said.className = "error";
      this.#said.textContent = res.data.error?.message ?? "The search did not work; try again.";
      return;
    }
    const added = res.data.photos.map(tile);
    this.#grid.append(...added);
    this.photos.push(...res.data.photos);
    this.#next = res.data.next;
    this.#more.hidden = this.#next === null;
    this.#said.className = "muted";
    this.#said.textContent =
      this.photos.length === 0
        ? `No photo matches “${this.#query}”.`
        : `${this.photos.length}${this.#next ? "+" : ""} photo${this.photos.length === 1 ? "" : "s"} match “${this.#query}”.`;
    this.shown(added, []);
  }
}
