// Zoom for the lightbox photo: a click (or Z) toggles 2.2× where you point, two fingers pinch
// from 1× to 4× about their midpoint, one finger or the mouse pans a zoomed photo, ctrl+wheel
// (a trackpad pinch) zooms too. Unzoomed, a horizontal swipe moves to the next photo.
const MAX = 4;
const CLICK_ZOOM = 2.2;
const SWIPE_PX = 50;

interface Point {
  x: number;
  y: number;
}

export class Zoom {
  #scale = 1;
  #t: Point = { x: 0, y: 0 };
  #pointers = new Map<number, Point>();
  #pinch: { dist: number; scale: number } | null = null;
  #start: Point | null = null;
  #moved = false;

  constructor(
    private readonly img: HTMLImageElement,
    private readonly swipe: (step: number) => void,
  ) {
    img.addEventListener("pointerdown", (e) => this.#down(e));
    img.addEventListener("pointermove", (e) => this.#move(e));
    for (const type of ["pointerup", "pointercancel"] as const) img.addEventListener(type, (e) => this.#up(e));
    img.addEventListener("click", (e) => !this.#moved && this.toggle(e));
    img.addEventListener(
      "wheel",
      (e) => {
        if (!e.ctrlKey) return;
        e.preventDefault();
        this.#zoomAt({ x: e.clientX, y: e.clientY }, this.#scale * Math.exp(-e.deltaY / 100));
      },
      { passive: false },
    );
    img.addEventListener("dragstart", (e) => e.preventDefault());
  }

  get zoomed(): boolean {
    return this.#scale > 1.01;
  }

  reset(): void {
    this.#scale = 1;
    this.#t = { x: 0, y: 0 };
    this.#pointers.clear();
    this.#pinch = null;
    this.#apply();
  }

  /** 2.2× about the point given (the centre when none), or back to the whole photo. */
  toggle(at?: Point): void {
    if (this.zoomed) {
      this.reset();
      return;
    }
    const r = this.img.getBoundingClientRect();
    this.#zoomAt(at ?? { x: r.left + r.width / 2, y: r.top + r.height / 2 }, CLICK_ZOOM);
  }

  /** Scales about a screen point, which stays under the finger or cursor. */
  #zoomAt(p: Point, next: number): void {
    const s1 = Math.min(MAX, Math.max(1, next));
    const r = this.img.getBoundingClientRect();
    // The layout box's corner: the transformed box's corner less the translation (origin 0 0).
    const lx = r.left - this.#t.x;
    const ly = r.top - this.#t.y;
    const ux = (p.x - lx - this.#t.x) / this.#scale;
    const uy = (p.y - ly - this.#t.y) / this.#scale;
    this.#scale = s1;
    this.#t = { x: p.x - lx - s1 * ux, y: p.y - ly - s1 * uy };
    this.#apply();
  }

  #down(e: PointerEvent): void {
    this.img.setPointerCapture(e.pointerId);
    this.#pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
    if (this.#pointers.size === 1) {
      this.#start = { x: e.clientX, y: e.clientY };
      this.#moved = false;
    } else if (this.#pointers.size === 2) {
      this.#pinch = { dist: this.#spread(), scale: this.#scale };
      this.#moved = true;
    }
  }

  #move(e: PointerEvent): void {
    const last = this.#pointers.get(e.pointerId);
    if (!last) return;
    const now = { x: e.clientX, y: e.clientY };
    this.#pointers.set(e.pointerId, now);
    if (this.#pinch && this.#pointers.size === 2) {
      const [a, b] = [...this.#pointers.values()] as [Point, Point];
      this.#zoomAt({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 }, (this.#pinch.scale * this.#spread()) / this.#pinch.dist);
      return;
    }
    if (this.#start && Math.hypot(now.x - this.#start.x, now.y - this.#start.y) > 5) this.#moved = true;
    if (this.zoomed && this.#pointers.size === 1) {
      this.#t = { x: this.#t.x + now.x - last.x, y: this.#t.y + now.y - last.y };
      this.#apply();
    }
  }

  #up(e: PointerEvent): void {
    const last = this.#pointers.get(e.pointerId);
    this.#pointers.delete(e.pointerId);
    if (this.#pointers.size < 2) this.#pinch = null;
    if (this.#pointers.size === 0 && last && this.#start && !this.zoomed) {
      const dx = last.x - this.#start.x;
      if (Math.abs(dx) > SWIPE_PX && Math.abs(dx) > Math.abs(last.y - this.#start.y)) this.swipe(dx < 0 ? 1 : -1);
    }
    if (this.#pointers.size === 0) {
      this.#start = null;
      this.img.classList.remove("gesturing");
    }
  }

  #spread(): number {
    const [a, b] = [...this.#pointers.values()] as [Point, Point];
    return Math.max(1, Math.hypot(a.x - b.x, a.y - b.y));
  }

  /** Keeps the photo covering its box: no panning past an edge. */
  #apply(): void {
    const w = this.img.offsetWidth;
    const hgt = this.img.offsetHeight;
    this.#t.x = Math.min(0, Math.max(w * (1 - this.#scale), this.#t.x));
    this.#t.y = Math.min(0, Math.max(hgt * (1 - this.#scale), this.#t.y));
    this.img.style.transform = this.#scale === 1 ? "" : `translate(${this.#t.x}px, ${this.#t.y}px) scale(${this.#scale})`;
    this.img.classList.toggle("zoomed", this.zoomed);
    this.img.classList.toggle("gesturing", this.#pointers.size > 0);
  }
}
