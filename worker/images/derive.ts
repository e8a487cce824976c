// The WASM step: a master in, a thumbnail and a watermarked preview out. One image is decoded at
// a time and every PhotonImage is freed in `finally`: WASM memory grows and never shrinks.
import { PhotonImage, resize, SamplingFilter } from "@cf-wasm/photon";
import type { WatermarkSettings } from "../domain/galleries/settings";
import { PREVIEW_EDGE, THUMB_EDGE } from "../domain/photos/limits";
import { applyWatermark } from "./watermark";

export interface Derivatives {
  thumb: Uint8Array;
  preview: Uint8Array;
  /** Oriented size of the master. */
  width: number;
  height: number;
  watermarkBox: { x: number; y: number; width: number; height: number } | null;
}

function fit(w: number, h: number, edge: number): [number, number] {
  const s = Math.min(1, edge / Math.max(w, h));
  return [Math.max(1, Math.round(w * s)), Math.max(1, Math.round(h * s))];
}

/**
 * EXIF orientation 1–8 applied to pixels by remapping them exactly (photon's rotate() is for
 * arbitrary angles and resamples). Returns a new image and frees the input, or the same image.
 */
export function orient(img: PhotonImage, orientation: number): PhotonImage {
  if (orientation <= 1 || orientation > 8) return img;
  const w = img.get_width();
  const h = img.get_height();
  const src = img.get_raw_pixels();
  const swap = orientation >= 5;
  const ow = swap ? h : w;
  const oh = swap ? w : h;
  const out = new Uint8Array(src.length);
  const view32 = new Uint32Array(src.buffer, src.byteOffset, w * h);
  const out32 = new Uint32Array(out.buffer, 0, w * h);
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      // (sx, sy): where the displayed pixel (x, y) sits in the stored image.
      let sx: number;
      let sy: number;
      switch (orientation) {
        case 2: sx = w - 1 - x; sy = y; break;
        case 3: sx = w - 1 - x; sy = h - 1 - y; break;
        case 4: sx = x; sy = h - 1 - y; break;
        case 5: sx = y; sy = x; break;
        case 6: sx = y; sy = h - 1 - x; break;
        case 7: sx = w - 1 - y; sy = h - 1 - x; break;
        default: sx = w - 1 - y; sy = x; break; // 8
      }
      out32[y * ow + x] = view32[sy * w + sx]!;
    }
  }
  img.free();
  return new PhotonImage(out, ow, oh);
}

export function renderDerivatives(master: Uint8Array, orientation: number, settings: WatermarkSettings, logoPng: Uint8Array | null): Derivatives {
  let img: PhotonImage | null = null;
  let thumb: PhotonImage | null = null;
  let preview: PhotonImage | null = null;
  try {
    img = orient(PhotonImage.new_from_byteslice(master), orientation);
    const width = img.get_width();
    const height = img.get_height();
    const [tw, th] = fit(width, height, THUMB_EDGE);
    thumb = resize(img, tw, th, SamplingFilter.Triangle);
    const thumbBytes = thumb.get_bytes_jpeg(80);
    thumb.free();
    thumb = null;
    const [pw, ph] = fit(width, height, PREVIEW_EDGE);
    preview = pw === width && ph === height ? img : resize(img, pw, ph, SamplingFilter.Triangle);
    if (preview !== img) {
      img.free();
      img = null;
    }
    const watermarkBox = applyWatermark(preview, settings, logoPng);
    return { thumb: thumbBytes, preview: preview.get_bytes_jpeg(82), width, height, watermarkBox };
  } finally {
    thumb?.free();
    if (preview && preview !== img) preview.free();
    img?.free();
  }
}
