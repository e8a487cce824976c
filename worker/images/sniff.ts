// What a file is, by its bytes rather than its name: type and dimensions from the header
// (image-size), and whether it ends the way a whole file of that type ends.
import { imageSize } from "image-size";
import { AppError } from "../lib/errors";

export type ImageType = "jpeg" | "png" | "webp";
export const CONTENT_TYPES: Record<ImageType, string> = { jpeg: "image/jpeg", png: "image/png", webp: "image/webp" };
export const ACCEPTED = "JPEG, PNG or WebP";

export interface Sniffed {
  type: ImageType;
  width: number;
  height: number;
  orientation: number;
}

function looksLikeText(head: Uint8Array): boolean {
  const sample = head.subarray(0, 512);
  let printable = 0;
  for (const b of sample) if (b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127) || b >= 0xc2) printable++;
  return sample.length > 0 && printable / sample.length > 0.95;
}

function magic(head: Uint8Array): ImageType | null {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return "jpeg";
  if (head.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => head[i] === b)) return "png";
  const ascii = (from: number, to: number) => String.fromCharCode(...head.subarray(from, to));
  if (head.length >= 12 && ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "webp";
  return null;
}

const SOF_ACCEPTED = new Set([0xc0, 0xc1, 0xc2]); // baseline, extended, progressive (Huffman)

/**
 * The frame headers of a JPEG, read by walking its markers up to the first scan. Decoders size
 * their buffers from the frame header, so that is the size we trust: a file whose header says
 * one size and whose frame says another is how a tiny file asks for gigabytes.
 */
function jpegFrames(head: Uint8Array): { sof: number; width: number; height: number }[] | null {
  const frames = [];
  let i = 2;
  while (i + 4 <= head.length) {
    if (head[i] !== 0xff) return null;
    const marker = head[i + 1]!;
    if (marker === 0xff) {
      i += 1;
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    if (marker === 0xda || marker === 0xd9) return frames;
    const length = (head[i + 2]! << 8) | head[i + 3]!;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (i + 9 > head.length) return null;
      frames.push({ sof: marker, height: (head[i + 5]! << 8) | head[i + 6]!, width: (head[i + 7]! << 8) | head[i + 8]! });
    }
    i += 2 + length;
  }
  // The head ran out before the first scan (large metadata): judge by the frames seen.
  return frames;
}

/**
 * The most pixels any image may declare: past a medium-format camera's 150 MP. A decompression
 * bomb (a 30000×30000 PNG of zeros is a few MB) is refused by its header, before anyone decodes it.
 */
export const MAX_IMAGE_PIXELS = 200_000_000;

function checkPixels(filename: string, width: number, height: number): void {
  if (width * height > MAX_IMAGE_PIXELS) {
    throw new AppError(
      "file_too_large",
      `"${filename}" is ${width}×${height} (${Math.round((width * height) / 1e6)} megapixels); the most Loupe takes is ${MAX_IMAGE_PIXELS / 1e6} megapixels.`,
    );
  }
}

/** Type and size from the first bytes of a file; refuses anything that is not a JPEG, PNG or WebP, or is too many pixels. */
export function sniffImage(filename: string, head: Uint8Array): Sniffed {
  if (head.length === 0) throw new AppError("empty_file", `"${filename}" is empty (0 bytes).`);
  const type = magic(head);
  if (!type) {
    const what = looksLikeText(head) ? "it is a text file" : "its content is not an image we accept";
    throw new AppError("unsupported_file", `"${filename}" is not a ${ACCEPTED} image: ${what}.`);
  }
  const damaged = () => new AppError("corrupt_file", `"${filename}" starts like a ${type.toUpperCase()} but its header is damaged.`);
  let size: ReturnType<typeof imageSize> | null = null;
  try {
    size = imageSize(head);
  } catch {
    if (type !== "jpeg") throw damaged();
  }
  if (type === "jpeg") {
    const frames = jpegFrames(head);
    if (frames?.length !== 1) throw damaged();
    const [frame] = frames as [{ sof: number; width: number; height: number }];
    if (!SOF_ACCEPTED.has(frame.sof)) {
      throw new AppError("unsupported_file", `"${filename}" is a lossless or arithmetic-coded JPEG, which we do not accept; export it as a standard JPEG.`);
    }
    if (!frame.width || !frame.height) throw new AppError("corrupt_file", `"${filename}" has no readable dimensions.`);
    checkPixels(filename, frame.width, frame.height);
    return { type, width: frame.width, height: frame.height, orientation: size?.orientation ?? 1 };
  }
  if (!size?.width || !size.height) throw new AppError("corrupt_file", `"${filename}" has no readable dimensions.`);
  checkPixels(filename, size.width, size.height);
  return { type, width: size.width, height: size.height, orientation: size.orientation ?? 1 };
}

/** The extension a filename claims must agree with the bytes (a PNG renamed .jpg is refused). */
export function checkExtension(filename: string, type: ImageType): void {
  const ext = /\.([a-z0-9]+)$/i.exec(filename)?.[1]?.toLowerCase();
  const expected: Record<ImageType, string[]> = { jpeg: ["jpg", "jpeg", "jpe"], png: ["png"], webp: ["webp"] };
  if (ext && !expected[type].includes(ext)) {
    throw new AppError("unsupported_file", `"${filename}" is named .${ext} but its content is a ${type.toUpperCase()}; rename it or export it again.`);
  }
}

/** A truncated upload decodes to a grey half-picture; refuse it at the door instead. */
export function checkComplete(filename: string, type: ImageType, tail: Uint8Array, size: number, riffSize?: number): void {
  let whole = true;
  if (type === "jpeg") {
    // Some cameras pad after the end marker, so look for it near the end, not only at it.
    whole = false;
    for (let i = tail.length - 2; i >= 0; i--) {
      if (tail[i] === 0xff && tail[i + 1] === 0xd9) {
        whole = true;
        break;
      }
    }
  } else if (type === "png") {
    const iend = [0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82];
    whole = tail.length >= 8 && iend.every((b, i) => tail[tail.length - 8 + i] === b);
  } else if (riffSize !== undefined) {
    whole = riffSize + 8 <= size;
  }
  if (!whole) throw new AppError("file_truncated", `"${filename}" is incomplete: the ${type.toUpperCase()} ends early. Upload it again.`);
}

export function riffSize(head: Uint8Array): number {
  return head.length >= 8 ? new DataView(head.buffer, head.byteOffset, 8).getUint32(4, true) : 0;
}
