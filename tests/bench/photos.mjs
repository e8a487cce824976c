// Synthetic camera-like test photos for the image benchmark. A scene (gradient, soft shapes,
// fine lines, value-noise texture at three scales) is drawn at a quarter of the size, upscaled
// with a cubic kernel, and then gets per-pixel luminance and chroma noise, so the JPEG at q90 is
// the size of a camera's (about 0.4 bytes per pixel) and the 2048 px master keeps real detail.
// Deterministic for a given (width, height, seed).
import sharp from "sharp";

/** A seeded xorshift32 stream in [0, 1): the same numbers for the same seed on every machine. */
export function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

async function scene(w, h, r) {
  const colour = () => `rgb(${Math.floor(r() * 256)},${Math.floor(r() * 256)},${Math.floor(r() * 256)})`;
  let shapes = "";
  for (let i = 0; i < 60; i++) {
    const x = r() * w,
      y = r() * h,
      sx = (0.02 + r() * 0.25) * w,
      sy = (0.02 + r() * 0.25) * h;
    const fill = `fill="${colour()}" fill-opacity="${(0.2 + r() * 0.6).toFixed(2)}"`;
    shapes +=
      r() < 0.5
        ? `<ellipse cx="${x}" cy="${y}" rx="${sx}" ry="${sy}" ${fill}/>`
        : `<rect x="${x}" y="${y}" width="${sx}" height="${sy}" transform="rotate(${r() * 90} ${x} ${y})" ${fill}/>`;
  }
  for (let i = 0; i < 150; i++) {
    shapes += `<line x1="${r() * w}" y1="${r() * h}" x2="${r() * w}" y2="${r() * h}" stroke="${colour()}" stroke-width="${(0.5 + r() * 3).toFixed(2)}" stroke-opacity="${(0.3 + r() * 0.5).toFixed(2)}"/>`;
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><defs>
<linearGradient id="g" x1="0" y1="0" x2="${r().toFixed(2)}" y2="1"><stop offset="0" stop-color="${colour()}"/><stop offset="0.5" stop-color="${colour()}"/><stop offset="1" stop-color="${colour()}"/></linearGradient>
</defs><rect width="100%" height="100%" fill="url(#g)"/>${shapes}</svg>`;
  const buf = await sharp(Buffer.from(svg))
    .blur(Math.max(0.3, w / 800))
    .removeAlpha()
    .raw()
    .toBuffer();
  const px = new Uint8ClampedArray(buf.buffer, buf.byteOffset, buf.length);
  // Texture: value noise at three scales, the same on all channels.
  const tex = new Float32Array(w * h);
  for (const [div, amp] of [
    [64, 40],
    [16, 25],
    [3, 18],
  ]) {
    const sw = Math.max(2, Math.round(w / div)),
      sh = Math.max(2, Math.round(h / div));
    const small = Buffer.alloc(sw * sh);
    for (let i = 0; i < small.length; i++) small[i] = Math.floor(r() * 256);
    const big = await sharp(small, { raw: { width: sw, height: sh, channels: 1 } })
      .resize(w, h, { kernel: "cubic" })
      .extractChannel(0)
      .raw()
      .toBuffer();
    for (let i = 0; i < tex.length; i++) tex[i] += ((big[i] - 128) / 128) * amp;
  }
  for (let i = 0, j = 0; i < tex.length; i++, j += 3) {
    const v = tex[i];
    px[j] += v;
    px[j + 1] += v;
    px[j + 2] += v;
  }
  return buf;
}

/** A width×height JPEG (q90) of a noisy synthetic photo. */
export async function makePhoto(width, height, seed) {
  const r = rng(seed * 7919 + 13);
  const w = Math.round(width / 4),
    h = Math.round(height / 4);
  const small = await scene(w, h, r);
  const buf = await sharp(small, { raw: { width: w, height: h, channels: 3 } })
    .resize(width, height, { kernel: "cubic" })
    .raw()
    .toBuffer();
  const px = new Uint8ClampedArray(buf.buffer, buf.byteOffset, buf.length);
  // Sensor-like noise: triangular luminance noise (±23) plus a little chroma noise (±8).
  let s = Math.imul(seed, 2654435761) >>> 0 || 1;
  for (let i = 0; i < px.length; i += 3) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    const a = (s & 255) + ((s >>> 8) & 255) - 255;
    const b = ((s >>> 16) & 255) + ((s >>> 24) & 255) - 255;
    const l = a * 0.09;
    px[i] = px[i] + l + b * 0.03;
    px[i + 1] = px[i + 1] + l;
    px[i + 2] = px[i + 2] + l - b * 0.03;
  }
  return sharp(buf, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/**
 * The master: at most 2048 px on the long edge, JPEG q90. Stands in for the browser's
 * createImageBitmap + OffscreenCanvas step (or the IMAGES binding); setup, not measured.
 */
export function makeMaster(original) {
  return sharp(original).resize(2048, 2048, { fit: "inside" }).jpeg({ quality: 90 }).toBuffer();
}
