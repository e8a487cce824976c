// The WASM step: a master in, a thumbnail and a watermarked preview out. photon decodes and
// encodes JPEG and draws the watermark; scaling and orientation are plain JS on RGBA (raster.ts).
// The thumbnail's and the preview's pixels also give the photo's fingerprint for similar shots
// (similarity.ts), before any watermark.
// One image is decoded at a time and every PhotonImage is freed in `finally`: WASM memory grows
// and never shrinks.
import { PhotonImage } from "@cf-wasm/photon";
import type { WatermarkSettings } from "../contract/galleries";
import { PREVIEW_EDGE, THUMB_EDGE } from "../domain/photos/limits";
import { applyWatermark } from "./draw-watermark";
import { downscale, fitWithin, orient, type Raster } from "./raster";
import { type Fingerprint, fingerprint } from "./similarity";

export interface Derivatives {
  thumb: Uint8Array;
  preview: Uint8Array;
  /** Oriented size of the master. */
  width: number;
  height: number;
  watermarkBox: { x: number; y: number; width: number; height: number } | null;
  /** Perceptual hash and sharpness of the upright picture, before any watermark. */
  fingerprint: Fingerprint;
}

function decode(bytes: Uint8Array): Raster {
  const img = PhotonImage.new_from_byteslice(bytes);
  try {
    return { px: img.get_raw_pixels(), width: img.get_width(), height: img.get_height() };
  } finally {
    img.free();
  }
}

function encode(r: Raster, quality: number, draw?: (img: PhotonImage) => void): Uint8Array {
  const img = new PhotonImage(r.px, r.width, r.height);
  try {
    draw?.(img);
    return img.get_bytes_jpeg(quality);
  } finally {
    img.free();
  }
}

/** A JPEG turned upright by its EXIF orientation, for masters that must never need it again. */
export function uprightJpeg(jpeg: Uint8Array, orientation: number, quality = 90): Uint8Array {
  return encode(orient(decode(jpeg), orientation), quality);
}

/** The master decoded, scaled and turned upright: the preview's and the thumbnail's pixels. */
export function uprightRasters(master: Uint8Array, orientation: number): { preview: Raster; thumb: Raster; width: number; height: number } {
  const stored = decode(master);
  const swap = orientation >= 5;
  const [width, height] = swap ? [stored.height, stored.width] : [stored.width, stored.height];
  // Scale in the stored orientation (fewer pixels to remap afterwards), then turn upright.
  const [pw, ph] = fitWithin(stored.width, stored.height, PREVIEW_EDGE);
  const preview = orient(downscale(stored, pw, ph), orientation);
  const [tw, th] = fitWithin(preview.width, preview.height, THUMB_EDGE);
  return { preview, thumb: downscale(preview, tw, th), width, height };
}

export function renderDerivatives(master: Uint8Array, orientation: number, settings: WatermarkSettings, logoPng: Uint8Array | null): Derivatives {
  const { preview, thumb, width, height } = uprightRasters(master, orientation);
  // Before encoding: photon draws the watermark on its own copy, but the fingerprint must never
  // see it. The preview (1600 px) is where a blur of a couple of master pixels still shows.
  const print = fingerprint(thumb, preview);
  // A 600 px thumbnail is enough for a screenshot to be used: the studio may mark it too.
  const thumbBytes = encode(thumb, 80, settings.thumbnails ? (img) => void applyWatermark(img, settings, logoPng) : undefined);
  let watermarkBox: Derivatives["watermarkBox"] = null;
  const previewBytes = encode(preview, 82, (img) => {
    watermarkBox = applyWatermark(img, settings, logoPng);
  });
  return { thumb: thumbBytes, preview: previewBytes, width, height, watermarkBox, fingerprint: print };
}
