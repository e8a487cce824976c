// A print's crop in the cart: the photo with the part that will be printed outlined, in the print's
// shape. The client drags the outline (or moves it with the arrow keys) and turns it between
// portrait and landscape; the cart saves the crop, the server checks it, and the lab gets the photo
// cut to it. The server's verdict on the pixels shows under it.
import type { Crop, PrintFit } from "../../worker/contract/store";
import { h } from "../lib/dom";

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));
const KEY_SETTLE_MS = 400;

/** The largest centred crop of the print's shape, portrait or landscape, in fractions of the photo. */
export function centredCrop(fit: PrintFit, landscape: boolean): Crop {
  const [a, b] = fit.shape;
  const r = landscape ? Math.max(a, b) / Math.min(a, b) : Math.min(a, b) / Math.max(a, b);
  const { width: pw, height: ph } = fit.photo;
  const [w, hgt] = pw / ph > r ? [ph * r, ph] : [pw, pw / r];
  return { x: (1 - w / pw) / 2, y: (1 - hgt / ph) / 2, width: w / pw, height: hgt / ph };
}

export function cropEditor(o: { src: string; label: string; fit: PrintFit; crop: Crop | null | undefined; onChange: (crop: Crop) => void }): HTMLElement {
  let crop = o.crop ?? centredCrop(o.fit, o.fit.photo.width >= o.fit.photo.height);
  const rect = h("div", {
    class: "crop-rect",
    tabindex: 0,
    role: "slider",
    "aria-label": `Crop of ${o.label}: drag, or use the arrow keys`,
  });
  const box = h("div", { class: "crop-box", style: `aspect-ratio: ${o.fit.photo.width} / ${o.fit.photo.height}` }, h("img", { src: o.src, alt: "" }), rect);
  const place = () => {
    rect.style.left = `${crop.x * 100}%`;
    rect.style.top = `${crop.y * 100}%`;
    rect.style.width = `${crop.width * 100}%`;
    rect.style.height = `${crop.height * 100}%`;
  };
  const moveTo = (x: number, y: number) => {
    crop = { ...crop, x: clamp(x, 0, 1 - crop.width), y: clamp(y, 0, 1 - crop.height) };
    place();
  };
  let drag: { px: number; py: number; x: number; y: number } | null = null;
  rect.addEventListener("pointerdown", (e) => {
    drag = { px: e.clientX, py: e.clientY, x: crop.x, y: crop.y };
    rect.setPointerCapture(e.pointerId);
  });
  rect.addEventListener("pointermove", (e) => {
    if (!drag) return;
    const { width, height } = box.getBoundingClientRect();
    moveTo(drag.x + (e.clientX - drag.px) / width, drag.y + (e.clientY - drag.py) / height);
  });
  rect.addEventListener("pointerup", () => {
    if (drag && (drag.x !== crop.x || drag.y !== crop.y)) o.onChange(crop);
    drag = null;
  });
  const STEP = 0.02;
  const keys: Record<string, [number, number]> = { ArrowLeft: [-STEP, 0], ArrowRight: [STEP, 0], ArrowUp: [0, -STEP], ArrowDown: [0, STEP] };
  rect.addEventListener("keydown", (e) => {
    const step = keys[e.key];
    if (!step) return;
    e.preventDefault();
    e.stopPropagation();
    moveTo(crop.x + step[0], crop.y + step[1]);
  });
  // Arrow presses come in runs: the crop is saved once the run pauses, not once per press (each
  // save redraws the cart, and saves in flight together could land out of order).
  let settle: ReturnType<typeof setTimeout> | undefined;
  rect.addEventListener("keyup", (e) => {
    if (!(e.key in keys)) return;
    clearTimeout(settle);
    settle = setTimeout(() => o.onChange(crop), KEY_SETTLE_MS);
  });
  const landscape = () => crop.width * o.fit.photo.width >= crop.height * o.fit.photo.height;
  const turn = h("button", { type: "button", class: "ghost", onclick: () => o.onChange(centredCrop(o.fit, !landscape())) }, "Turn the crop");
  place();
  return h(
    "div",
    { class: "print-crop" },
    box,
    h("div", { class: "crop-side" }, h("span", { class: "muted" }, `${o.fit.shape[0]}×${o.fit.shape[1]} · ${landscape() ? "landscape" : "portrait"}`), turn),
    o.fit.lowResolution ? h("p", { class: "crop-warning", role: "note" }, `⚠ ${o.fit.lowResolution}`) : "",
  );
}
