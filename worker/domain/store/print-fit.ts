// How a print is cut from its photo, and whether the photo has the pixels for it. A crop has the
// print's shape (8×10 is 4:5, either way round); without one, the print is the largest centred
// crop of that shape, which is also what the lab does with an uncropped image. The lab's pixels
// for a size (its print area at its own resolution) are the bar: under them, the cart says so and
// names the size the photo prints well at.
import { z } from "zod";
import type { Crop, PrintFit } from "../../contract/store";

/** Fractions of the photo; checked to lie inside it. */
export const cropSchema = z
  .object({
    x: z.number().min(0).max(1),
    y: z.number().min(0).max(1),
    // A sliver is a slip of the finger, not a print: at least a twentieth of the photo each way.
    width: z.number().min(0.05, "must be at least 0.05 of the photo").max(1),
    height: z.number().min(0.05, "must be at least 0.05 of the photo").max(1),
  })
  .strict()
  .refine((c) => c.x + c.width <= 1.000001 && c.y + c.height <= 1.000001, "must lie inside the photo");

/** "8×10", "16x20", "24 × 36 in" → [8, 10]; null for a size that names no two numbers. */
export function printShape(size: string | null): [number, number] | null {
  const m = /(\d+(?:\.\d+)?)\s*[×xX]\s*(\d+(?:\.\d+)?)/.exec(size ?? "");
  if (!m) return null;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return a > 0 && b > 0 ? [a, b] : null;
}

type Size = { width: number; height: number };
const ratio = (s: [number, number], landscape: boolean) => (landscape ? Math.max(...s) / Math.min(...s) : Math.min(...s) / Math.max(...s));

/** The crop's pixels: the client's, or the largest centred crop of the shape, turned to the photo. */
export function cropPixels(photo: Size, shape: [number, number], crop: Crop | null | undefined): Size {
  if (crop) return { width: crop.width * photo.width, height: crop.height * photo.height };
  const r = ratio(shape, photo.width >= photo.height);
  return photo.width / photo.height > r ? { width: photo.height * r, height: photo.height } : { width: photo.width, height: photo.width / r };
}

/** A message when the crop is not the print's shape (beyond a 2% slip of a finger), else null. */
export function cropShapeProblem(photo: Size, shape: [number, number], crop: Crop): string | null {
  const px = cropPixels(photo, shape, crop);
  const r = px.width / px.height;
  const fits = [true, false].some((landscape) => Math.abs(r / ratio(shape, landscape) - 1) <= 0.02);
  return fits ? null : `must have the print's ${shape[0]}×${shape[1]} shape`;
}

const round1 = (n: number) => (n >= 10 ? Math.floor(n) : Math.floor(n * 10) / 10);

export function printFit(
  photo: Size,
  shape: [number, number],
  crop: Crop | null | undefined,
  need: { minWidthPx: number; minHeightPx: number } | null,
): PrintFit {
  const fit: PrintFit = { shape, photo, lowResolution: null };
  if (!need) return fit;
  const px = cropPixels(photo, shape, crop);
  const [haveLong, haveShort] = [Math.max(px.width, px.height), Math.min(px.width, px.height)];
  const [needLong, needShort] = [Math.max(need.minWidthPx, need.minHeightPx), Math.min(need.minWidthPx, need.minHeightPx)];
  if (haveLong >= needLong && haveShort >= needShort) return fit;
  // The lab's pixels per inch for this size, and what the crop's pixels make at that density.
  const ppi = needLong / Math.max(...shape);
  const long = round1(haveLong / ppi);
  const short = round1(haveShort / ppi);
  fit.lowResolution =
    `${crop ? "Your crop has" : "Cut to this print, the photo has"} ${Math.round(px.width)}×${Math.round(px.height)} pixels; ${/^(8|11|18)\b/.test(String(shape[0])) ? "an" : "a"} ${shape[0]}×${shape[1]} print needs ` +
    `${needShort}×${needLong} to print sharply. It prints well up to about ${short}×${long}.`;
  return fit;
}
