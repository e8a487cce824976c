// Sizes Loupe accepts and stores. A master is what WASM ever sees, so its bounds are the memory
// budget: an isolate has 128 MB, photon holds about four times an image's pixels at peak and never
// gives WASM memory back, so a master is at most 2048 px. Originals go up in R2 multipart parts.
export const MiB = 1024 * 1024;
export const MAX_ORIGINAL_BYTES = 200 * MiB;
// A 2048 px JPEG is 1–3 MB; the cap leaves room for noisy high-ISO frames, not for padding.
export const MAX_MASTER_BYTES = 6 * MiB;
export const MASTER_MAX_EDGE = 2048;
// An original this small goes straight to photon as its own master (≈3 MP fits the budget), and
// only if its bytes are few too: a small frame padded with megabytes of junk would be read whole.
export const DIRECT_MAX_PIXELS = 3_000_000;
export const DIRECT_MAX_BYTES = 12 * MiB;
// A logo is stored at most LOGO_MAX_EDGE on its long edge: a bigger upload is scaled down by the
// IMAGES binding first. Decoding and scaling a logo in photon costs many times its 4 bytes a pixel
// (bench:images measured a 2000×2000 logo at 135 MiB of WASM memory, past the isolate's 128 MB).
export const LOGO_MAX_EDGE = 1200;
export const MAX_LOGO_PIXELS = LOGO_MAX_EDGE * LOGO_MAX_EDGE;
/** The largest logo upload taken (long edge) before it is scaled down. */
export const LOGO_UPLOAD_MAX_EDGE = 4000;
export const PART_SIZE = 8 * MiB;
export const MAX_LOGO_BYTES = 2 * MiB;
// Reserved per photo at upload start for the master and derivatives not yet made.
export const DERIVATIVE_RESERVE = 2 * MiB;
export const THUMB_EDGE = 600;
export const PREVIEW_EDGE = 1600;

export const PLAN_QUOTA_BYTES = { free: 10 * 1024 * MiB, pro: 200 * 1024 * MiB, studio: 1024 * 1024 * MiB } as const;

export function partCount(size: number): number {
  return Math.max(1, Math.ceil(size / PART_SIZE));
}

export function expectedPartSize(size: number, partNumber: number): number {
  const count = partCount(size);
  return partNumber < count ? PART_SIZE : size - PART_SIZE * (count - 1);
}
