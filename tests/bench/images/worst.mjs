// The worst inputs Loupe's limits still admit (worker/domain/photos/limits.ts), made with sharp:
// pixel noise (so every byte is image data), 4:4:4 progressive JPEG (jpeg-decoder then keeps every
// DCT coefficient of all three full-size planes), padding as APP2 ICC_PROFILE chunks placed after
// the frame header (jpeg-decoder keeps ICC chunks in WASM memory; the sniffer sees the frame within
// its 256 KiB head), and an RGBA logo at the stored logo's pixel and byte limits. Deterministic.
import sharp from "sharp";
import { MiB } from "./config.mjs";

// The product's limits, as worker/domain/photos/limits.ts has them (the bench checks admission
// through the product's own code, POST /admit, so a drift shows up as a refusal).
export const LIMITS = {
  directMaxPixels: 3_000_000,
  directMaxBytes: 12 * MiB,
  masterMaxBytes: 6 * MiB,
  masterEdge: 2048,
  // A logo is stored at most 1200 px on its long edge (a bigger upload, up to 4000 px, is scaled
  // down by the IMAGES binding first); the image worker refuses a stored one over 1200 × 1200.
  logoMaxEdge: 1200,
  logoMaxPixels: 1200 * 1200,
  logoMaxBytes: 2 * MiB,
};

function noise(length, seed) {
  const out = Buffer.alloc(Math.ceil(length / 4) * 4);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < length; i += 4) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out.writeUInt32LE(s, i);
  }
  return out.subarray(0, length);
}

const segment = (marker, payload) => {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
};

/** Offset just past the frame header (SOFn) of a JPEG. */
function afterFrame(jpeg) {
  for (let i = 2; i + 4 <= jpeg.length; ) {
    const marker = jpeg[i + 1];
    const length = jpeg.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) return i + 2 + length;
    if (marker === 0xda) break;
    i += 2 + length;
  }
  throw new Error("no frame header");
}

/** `jpeg` grown to exactly `total` bytes by ICC_PROFILE chunks after its frame header. */
export function padWithIcc(jpeg, total) {
  const fill = total - jpeg.length;
  const perChunk = 65535 - 2 - 14;
  const count = Math.ceil(fill / (perChunk + 18));
  if (fill < 18 || count > 255) throw new Error(`cannot pad ${jpeg.length} bytes to ${total}`);
  const chunks = [];
  let left = fill;
  for (let n = 1; n <= count; n++) {
    const data = Math.min(perChunk, left - 18 - (count - n) * 18);
    left -= data + 18;
    chunks.push(segment(0xe2, Buffer.concat([Buffer.from("ICC_PROFILE\0", "latin1"), Buffer.from([n, count]), noise(data, n)])));
  }
  const at = afterFrame(jpeg);
  return Buffer.concat([jpeg.subarray(0, at), ...chunks, jpeg.subarray(at)]);
}

/** `jpeg` with an EXIF APP1 saying `orientation`, right after SOI. */
export function withOrientation(jpeg, orientation) {
  const tiff = Buffer.alloc(26);
  tiff.write("II*\0", 0, "latin1");
  tiff.writeUInt32LE(8, 4); // IFD0 at 8
  tiff.writeUInt16LE(1, 8); // one entry: Orientation, SHORT, 1 value
  tiff.writeUInt16LE(0x0112, 10);
  tiff.writeUInt16LE(3, 12);
  tiff.writeUInt32LE(1, 14);
  tiff.writeUInt16LE(orientation, 18);
  const app1 = segment(0xe1, Buffer.concat([Buffer.from("Exif\0\0", "latin1"), tiff]));
  return Buffer.concat([jpeg.subarray(0, 2), app1, jpeg.subarray(2)]);
}

const noiseJpeg = (width, height, seed, quality) =>
  sharp(noise(width * height * 3, seed), { raw: { width, height, channels: 3 } })
    .jpeg({ quality, progressive: true, chromaSubsampling: "4:4:4" })
    .toBuffer();

/** (a) An original the queue uses directly as its own master: just under 3 MP and 12 MiB. */
export async function directOriginal() {
  const jpeg = await noiseJpeg(2000, 1499, 11, 100);
  return { bytes: padWithIcc(jpeg, LIMITS.directMaxBytes - 16), width: 2000, height: 1499, imageBytes: jpeg.length, quality: 100 };
}

/** (b) A 2048×2048 master at the highest quality under 6 MiB (found by bisection), the rest ICC
 *  padding; and (d) the same with an EXIF orientation 6 tag, the same size. */
export async function bigMaster() {
  const room = LIMITS.masterMaxBytes - 64 * 1024;
  let lo = 50,
    hi = 100,
    best = null;
  while (lo <= hi) {
    const quality = Math.floor((lo + hi) / 2);
    const jpeg = await noiseJpeg(2048, 2048, 22, quality);
    if (jpeg.length <= room) {
      best = { jpeg, quality };
      lo = quality + 1;
    } else hi = quality - 1;
  }
  if (!best) throw new Error("no quality fits a master");
  const total = LIMITS.masterMaxBytes - 16;
  const bytes = padWithIcc(best.jpeg, total);
  // (d): the same pixels and size with an EXIF orientation 6 tag.
  const rotated = padWithIcc(withOrientation(best.jpeg, 6), total);
  return { bytes, rotated, width: 2048, height: 2048, imageBytes: best.jpeg.length, quality: best.quality };
}

/** (c) The largest logo the image worker can be handed: a 1200×1200 (LOGO_MAX_EDGE) 8-bit RGBA
 *  PNG, stored as uploaded (no scaling at that size). A disc, transparent around it, with noisy
 *  rows added until it is as close under 2 MiB as they get (so its bytes are at the limit too). In
 *  trials an 8-bit logo left photon's memory larger than a 16-bit one of the same pixels and
 *  byte limit: 135 vs 132 MiB at 2000×2000, 77.8 vs 68 MiB at 1200×1200 on master (b). */
export async function bigLogo() {
  const width = LIMITS.logoMaxEdge,
    height = LIMITS.logoMaxEdge;
  const make = async (noisyRows) => {
    const px = Buffer.alloc(width * height * 4);
    const c = width / 2,
      r = width * 0.45;
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const inside = (x - c) ** 2 + (y - c) ** 2 < r ** 2;
        if (inside) px.set([200, 40, 60, 255], (y * width + x) * 4);
      }
    noise(width * 4 * noisyRows, 33).copy(px, 0);
    return sharp(px, { raw: { width, height, channels: 4 } })
      .png({ compressionLevel: 9 })
      .toBuffer();
  };
  let lo = 0,
    hi = height,
    best = await make(0);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    const png = await make(mid);
    if (png.length <= LIMITS.logoMaxBytes) {
      lo = mid;
      best = png;
    } else hi = mid - 1;
  }
  const meta = await sharp(best).metadata();
  return { bytes: best, width, height, depth: meta.depth, channels: meta.channels, noisyRows: lo };
}
