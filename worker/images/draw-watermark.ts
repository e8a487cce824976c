// Watermarks drawn with photon: the studio's text or its logo PNG, placed, scaled and faded
// as the gallery says. The mark is built on a transparent layer and laid over the preview.
import { draw_text_with_color, PhotonImage, Rgba, resize, SamplingFilter, watermark } from "@cf-wasm/photon";
import type { WatermarkSettings } from "../contract/galleries";

function fade(layer: PhotonImage, opacity: number): PhotonImage {
  const px = layer.get_raw_pixels();
  for (let i = 3; i < px.length; i += 4) px[i] = Math.round(px[i]! * opacity);
  return new PhotonImage(px, layer.get_width(), layer.get_height());
}

function textLayer(text: string, width: number): PhotonImage {
  // Roboto (photon's only font) averages about 0.45 em per character.
  const fontSize = Math.max(10, Math.min(width / (0.45 * Math.max(text.length, 1)), width / 2));
  const w = Math.ceil(Math.min(width, fontSize * 0.5 * text.length + fontSize));
  const h = Math.ceil(fontSize * 1.5);
  const layer = new PhotonImage(new Uint8Array(w * h * 4), w, h);
  const shadow = Math.max(1, Math.round(fontSize / 24));
  draw_text_with_color(layer, text, shadow, shadow, fontSize, new Rgba(0, 0, 0, 150));
  draw_text_with_color(layer, text, 0, 0, fontSize, new Rgba(255, 255, 255, 255));
  return layer;
}

/**
 * The logo within a `width` × `height` box, proportions kept (a tall logo is as tall as the box, no
 * taller), faded. It is faded before it is scaled, while it is at most 1200 px: fading the scaled
 * layer copied up to 1600×1600 pixels out of WASM and back, which took a logo job past 128 MB.
 */
function logoLayer(logoPng: Uint8Array, width: number, height: number, opacity: number): PhotonImage {
  const decoded = PhotonImage.new_from_byteslice(logoPng);
  let logo: PhotonImage;
  try {
    logo = fade(decoded, opacity);
  } finally {
    decoded.free();
  }
  try {
    const scale = Math.min(width / logo.get_width(), height / logo.get_height());
    const w = Math.max(1, Math.round(logo.get_width() * scale));
    const h = Math.max(1, Math.round(logo.get_height() * scale));
    return resize(logo, w, h, SamplingFilter.Triangle);
  } finally {
    logo.free();
  }
}

function place(position: WatermarkSettings["position"], img: PhotonImage, mark: PhotonImage): [number, number] {
  const W = img.get_width();
  const H = img.get_height();
  const w = mark.get_width();
  const h = mark.get_height();
  const m = Math.round(Math.min(W, H) * 0.03);
  const x = position === "center" ? (W - w) / 2 : position.endsWith("left") ? m : W - w - m;
  const y = position === "center" ? (H - h) / 2 : position.startsWith("top") ? m : H - h - m;
  return [Math.max(0, Math.round(x)), Math.max(0, Math.round(y))];
}

/** Draws the gallery's watermark onto `img` in place; the box it covers is returned for tests and logs. */
export function applyWatermark(img: PhotonImage, settings: WatermarkSettings, logoPng: Uint8Array | null) {
  if (!settings.enabled) return null;
  const width = img.get_width() * settings.scale;
  const height = img.get_height() * settings.scale;
  let layer: PhotonImage | null = null;
  let faded: PhotonImage | null = null;
  try {
    if (settings.kind === "logo" && logoPng) faded = logoLayer(logoPng, width, height, settings.opacity);
    else {
      layer = textLayer(settings.text || "PROOF", width);
      faded = fade(layer, settings.opacity);
    }
    const [x, y] = place(settings.position, img, faded);
    watermark(img, faded, BigInt(x), BigInt(y));
    return { x, y, width: faded.get_width(), height: faded.get_height() };
  } finally {
    layer?.free();
    faded?.free();
  }
}
