// Synthetic bursts for the similar-shots tests: a scene (soft colour blobs for the composition,
// a fine texture for detail) shot again with the camera a few pixels off, fresh sensor noise and
// optionally blurred, as a JPEG with an EXIF capture time. Deterministic for the same shot.
import { PhotonImage } from "@cf-wasm/photon";

export interface Shot {
  scene: number;
  dx?: number;
  dy?: number;
  /** Box-blur radius in px (three passes, close to a Gaussian): a missed focus. */
  blur?: number;
  /** Seed of this frame's sensor noise. */
  noise?: number;
  /** Sensor noise, ± levels (3: a low-ISO frame once thumbnailed from a camera's resolution). */
  grain?: number;
}

function rng(seed: number) {
  let s = Math.imul(seed, 2654435761) >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/** A lattice value in [-1, 1] for (x, y), the same wherever the frame is cut. */
function lattice(x: number, y: number, seed: number): number {
  let h = Math.imul(x, 374761393) ^ Math.imul(y, 668265263) ^ Math.imul(seed, 2246822519);
  h = Math.imul(h ^ (h >>> 13), 1274126177);
  return (((h ^ (h >>> 16)) >>> 0) / 4294967296) * 2 - 1;
}

function boxBlur(plane: Float32Array, w: number, h: number, r: number): void {
  const tmp = new Float32Array(plane.length);
  for (let pass = 0; pass < 3; pass++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let s = 0;
        for (let k = -r; k <= r; k++) s += plane[y * w + Math.min(w - 1, Math.max(0, x + k))]!;
        tmp[y * w + x] = s / (2 * r + 1);
      }
    }
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let s = 0;
        for (let k = -r; k <= r; k++) s += tmp[Math.min(h - 1, Math.max(0, y + k)) * w + x]!;
        plane[y * w + x] = s / (2 * r + 1);
      }
    }
  }
}

/** One frame of `shot.scene`, width×height, as a JPEG without EXIF. */
export function burstFrame(shot: Shot, width = 900, height = 600): Uint8Array {
  const r = rng(shot.scene * 7919 + 1);
  const blobs = Array.from({ length: 7 }, () => ({
    x: r() * width,
    y: r() * height,
    s: (0.08 + r() * 0.2) * width,
    c: [r() * 200 - 100, r() * 200 - 100, r() * 200 - 100],
  }));
  const base = [60 + r() * 120, 60 + r() * 120, 60 + r() * 120];
  const { dx = 0, dy = 0 } = shot;
  const planes = [0, 1, 2].map(() => new Float32Array(width * height));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [X, Y] = [x + dx, y + dy];
      // Detail at 1–3 px that moves with the scene: what focus and blur act on.
      const t = 28 * lattice(X >> 1, Y >> 1, shot.scene) + 14 * lattice(X, Y, shot.scene + 99);
      for (let c = 0; c < 3; c++) {
        let v = base[c]! + t;
        for (const b of blobs) v += b.c[c]! * Math.exp(-((X - b.x) ** 2 + (Y - b.y) ** 2) / (b.s * b.s));
        planes[c]![y * width + x] = v;
      }
    }
  }
  if (shot.blur) for (const p of planes) boxBlur(p, width, height, shot.blur);
  const n = rng(shot.noise ?? 1);
  const px = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const grain = (n() + n() - 1) * (shot.grain ?? 3);
    for (let c = 0; c < 3; c++) px[i * 4 + c] = Math.max(0, Math.min(255, Math.round(planes[c]![i]! + grain)));
    px[i * 4 + 3] = 255;
  }
  const img = new PhotonImage(px, width, height);
  try {
    return img.get_bytes_jpeg(90);
  } finally {
    img.free();
  }
}

/** The JPEG with an EXIF APP1 segment holding only DateTimeOriginal ("2026:06:14 15:02:11"). */
export function withCaptureTime(jpeg: Uint8Array, dateTimeOriginal: string): Uint8Array {
  const value = new TextEncoder().encode(`${dateTimeOriginal}\0`); // ASCII, 20 bytes
  // TIFF (little-endian): IFD0 with one entry pointing to the Exif IFD, which holds the time.
  const tiff = new Uint8Array(8 + 18 + 18 + value.length);
  const v = new DataView(tiff.buffer);
  tiff.set([0x49, 0x49, 0x2a, 0x00]);
  v.setUint32(4, 8, true);
  v.setUint16(8, 1, true);
  v.setUint16(10, 0x8769, true); // ExifIFDPointer
  v.setUint16(12, 4, true); // LONG
  v.setUint32(14, 1, true);
  v.setUint32(18, 26, true);
  v.setUint32(22, 0, true); // no next IFD
  v.setUint16(26, 1, true);
  v.setUint16(28, 0x9003, true); // DateTimeOriginal
  v.setUint16(30, 2, true); // ASCII
  v.setUint32(32, value.length, true);
  v.setUint32(36, 44, true);
  v.setUint32(40, 0, true);
  tiff.set(value, 44);
  const header = new TextEncoder().encode("Exif\0\0");
  const length = 2 + header.length + tiff.length;
  const app1 = new Uint8Array(2 + length);
  app1.set([0xff, 0xe1, length >> 8, length & 255]);
  app1.set(header, 4);
  app1.set(tiff, 4 + header.length);
  const out = new Uint8Array(jpeg.length + app1.length);
  out.set(jpeg.subarray(0, 2)); // SOI
  out.set(app1, 2);
  out.set(jpeg.subarray(2), 2 + app1.length);
  return out;
}
