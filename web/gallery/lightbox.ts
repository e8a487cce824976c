// The lightbox: one photo large, arrows and swipe to move, Escape to close, zoom (zoom.ts),
// F to favourite, and the photo's comments beside it.
import type { GalleryPagePhoto } from "../../worker/contract/galleries";
import { colourOf, h, initials } from "../lib/dom";
import { CommentsPanel, type ThreadComment } from "./comments-panel";
import { ExifPanel } from "./exif-panel";
import { Zoom } from "./zoom";

export interface LightboxHooks {
  isPicked(photoId: string): boolean;
  togglePick(photoId: string): void;
  comments(photoId: string): ThreadComment[];
  addComment(photoId: string, text: string, replyTo: string | null): void;
  viewers(photoId: string): { id: string; name: string }[];
  onOpen(photoId: string | null): void;
  /** Null when the gallery's downloads are off. */
  download: ((photoId: string) => void) | null;
}

const SLIDE_MS = 4000;

export class Lightbox {
  #index = -1;
  readonly el: HTMLElement;
  #img = h("img", { class: "lb-img", alt: "" });
  #title = h("p", { class: "lb-title" });
  #heart = h("button", { class: "lb-heart", type: "button", "aria-pressed": "false", title: "Favourite (F)" }, "♡ Favourite");
  #viewers = h("div", { class: "lb-viewers" });
  #buy = h("button", { class: "lb-buy", type: "button", hidden: true }, "Buy prints or files");
  // A slideshow steps on every few seconds until paused, moved by hand or closed.
  #show_timer: ReturnType<typeof setInterval> | null = null;
  #play = h("button", { class: "lb-play", type: "button", title: "Slideshow (S)" }, "▶ Slideshow");
  #share = h("button", { class: "lb-share", type: "button", title: "Copy a link that opens this photo" }, "Copy link to this photo");
  #comments: CommentsPanel;
  #exif = new ExifPanel();
  #zoom: Zoom;

  constructor(
    private photos: GalleryPagePhoto[],
    private readonly hooks: LightboxHooks,
  ) {
    this.#comments = new CommentsPanel((text, replyTo) => this.#photo && hooks.addComment(this.#photo.id, text, replyTo));
    this.el = h(
      "div",
      { class: "lightbox", role: "dialog", "aria-modal": "true", "aria-label": "Photo", hidden: true },
      h(
        "div",
        { class: "lb-stage" },
        h("button", { class: "lb-nav lb-prev", type: "button", "aria-label": "Previous photo", onclick: () => this.move(-1) }, "‹"),
        this.#img,
        h("button", { class: "lb-nav lb-next", type: "button", "aria-label": "Next photo", onclick: () => this.move(1) }, "›"),
        h("button", { class: "lb-close", type: "button", "aria-label": "Close", onclick: () => this.close() }, "×"),
      ),
      h(
        "aside",
        { class: "lb-side" },
        this.#title,
        this.#heart,
        hooks.download
          ? h("button", { class: "lb-download", type: "button", onclick: () => this.#photo && hooks.download!(this.#photo.id) }, "Download")
          : null,
        this.#buy,
        h("p", { class: "lb-tools" }, this.#play, " ", this.#share),
        this.#exif.el,
        this.#viewers,
        h("h3", {}, "Comments"),
        this.#comments.list,
        this.#comments.form,
      ),
    );
    this.#heart.addEventListener("click", () => this.#photo && hooks.togglePick(this.#photo.id));
    this.#play.addEventListener("click", () => this.#slideshow(this.#show_timer === null));
    // Writing a comment stops the slideshow, so the comment lands on the photo it is about.
    this.#comments.input.addEventListener("focus", () => this.#slideshow(false));
    this.#share.addEventListener("click", async () => {
      const p = this.#photo;
      if (!p) return;
      await navigator.clipboard.writeText(`${location.origin}${location.pathname}#photo=${p.id}`).catch(() => undefined);
      this.#share.textContent = "Link copied";
      setTimeout(() => (this.#share.textContent = "Copy link to this photo"), 2000);
    });
    this.#zoom = new Zoom(this.#img, (step) => this.move(step));
    document.addEventListener("keydown", (e) => this.#key(e));
    document.body.append(this.el);
  }

  /** Shows "Buy" once the gallery's store is known to exist. */
  enableBuy(buy: (photoId: string) => void): void {
    this.#buy.hidden = false;
    this.#buy.onclick = () => this.#photo && buy(this.#photo.id);
  }

  get #photo(): GalleryPagePhoto | undefined {
    return this.photos[this.#index];
  }

  get isOpen(): boolean {
    return !this.el.hidden;
  }

  /** Opens the photo at `index` of `photos` (the gallery's loaded photos, or the favourites). */
  open(index: number, photos = this.photos): void {
    this.photos = photos;
    this.#index = index;
    this.el.hidden = false;
    document.body.classList.add("lb-open");
    this.#show();
  }

  #slideshow(on: boolean): void {
    if (this.#show_timer !== null) clearInterval(this.#show_timer);
    this.#show_timer = on ? setInterval(() => this.#step(1), SLIDE_MS) : null;
    this.#play.textContent = on ? "❚❚ Pause" : "▶ Slideshow";
  }

  close(): void {
    this.#slideshow(false);
    // The address stops naming a photo once it is closed.
    if (location.hash.startsWith("#photo=")) history.replaceState(null, "", location.pathname + location.search);
    this.el.hidden = true;
    document.body.classList.remove("lb-open");
    this.hooks.onOpen(null);
  }

  /** A step by hand ends a slideshow. */
  move(step: number): void {
    this.#slideshow(false);
    this.#step(step);
  }

  #step(step: number): void {
    if (!this.photos.length) return;
    this.#index = (this.#index + step + this.photos.length) % this.photos.length;
    this.#show();
  }

  #show(): void {
    const p = this.#photo;
    if (!p) return;
    this.#zoom.reset();
    this.#comments.reply(null);
    this.#exif.show(p);
    this.#img.src = p.preview;
    this.#img.alt = p.filename;
    this.#title.textContent = `${p.filename} · ${this.#index + 1} of ${this.photos.length}`;
    // The address names the photo on screen, so reloading or sharing it opens the same one.
    history.replaceState(null, "", `#photo=${p.id}`);
    this.hooks.onOpen(p.id);
    this.render();
  }

  /** Redraws what can change while open: the heart, who else is here, the comments. */
  render(): void {
    const p = this.#photo;
    if (!p || !this.isOpen) return;
    const on = this.hooks.isPicked(p.id);
    this.#heart.setAttribute("aria-pressed", String(on));
    this.#heart.textContent = on ? "♥ Favourite" : "♡ Favourite";
    const viewers = this.hooks.viewers(p.id);
    this.#viewers.replaceChildren(
      ...viewers.map((v) =>
        h("span", { class: "avatar small", style: `background:${colourOf(v.id)}`, title: `${v.name} is looking at this photo` }, initials(v.name)),
      ),
      viewers.length ? h("span", { class: "muted" }, ` also viewing`) : "",
    );
    this.#comments.render(this.hooks.comments(p.id));
  }

  #key(e: KeyboardEvent): void {
    // Keys typed into a field, or pressed in the shop's dialog over the lightbox (a crop being
    // moved with the arrows, a name with an "f" in it), are not the lightbox's.
    const typed = (e.target as HTMLElement).closest?.("input, textarea, select, [role=slider], .shop-dialog");
    if (!this.isOpen || typed || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === "Escape") this.close();
    else if (e.key === "ArrowRight") this.move(1);
    else if (e.key === "ArrowLeft") this.move(-1);
    else if (e.key === "f" || e.key === "F") this.#photo && this.hooks.togglePick(this.#photo.id);
    else if (e.key === "z" || e.key === "Z") this.#zoom.toggle();
    else if (e.key === "s" || e.key === "S") this.#slideshow(this.#show_timer === null);
    else return;
    e.preventDefault();
  }
}
