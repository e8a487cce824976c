// Byte-level JPEG surgery for tests: pad a JPEG past a size (to force multipart parts) and make
import { PhotonImage } from "@cf-wasm/photon";

// one whose header is valid but whose Huffman tables are not (a file no decoder can read).
function segments(jpeg: Uint8Array): { marker: number; start: number; end: number }[] {
  const out = [];
  let i = 2;
  while (i < jpeg.length && jpeg[i] === 0xff) {
    const marker = jpeg[i + 1]!;
    const len = (jpeg[i + 2]! << 8) | jpeg[i + 3]!;
    out.push({ marker, start: i, end: i + 2 + len });
    if (marker === 0xda) break;
    i += 2 + len;
  }
  return out;
}

/** The same picture, made at least `size` bytes long with comment segments before the scan. */
export function padJpeg(jpeg: Uint8Array, size: number): Uint8Array {
  const sos = segments(jpeg).find((s) => s.marker === 0xda)!;
  const chunks: Uint8Array[] = [jpeg.subarray(0, sos.start)];
  let total = jpeg.length;
  while (total < size) {
    const com = new Uint8Array(2 + 65535);
    com[0] = 0xff;
    com[1] = 0xfe;
    com[2] = 0xff;
    com[3] = 0xff;
    com.fill(0x20, 4);
    chunks.push(com);
    total += com.length;
  }
  chunks.push(jpeg.subarray(sos.start));
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Valid markers, dimensions and end marker; Huffman tables that claim impossible code counts. */
export function corruptJpeg(jpeg: Uint8Array): Uint8Array {
  const out = jpeg.slice();
  for (const s of segments(out).filter((s) => s.marker === 0xc4)) out.fill(0xff, s.start + 5, s.start + 5 + 16);
  return out;
}

/** A JPEG encoded by photon from pixels painted by `paint(x, y)` → [r, g, b]. */
export function syntheticJpeg(width: number, height: number, paint: (x: number, y: number) => [number, number, number]): Uint8Array {
  const px = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) px.set([...paint(x, y), 255], (y * width + x) * 4);
  const img = new PhotonImage(px, width, height);
  try {
    return img.get_bytes_jpeg(85);
  } finally {
    img.free();
  }
}

/** Width and height of the image a response carries, decoded. */
export async function pixelSize(res: Response): Promise<[number, number]> {
  const img = PhotonImage.new_from_byteslice(new Uint8Array(await res.arrayBuffer()));
  try {
    return [img.get_width(), img.get_height()];
  } finally {
    img.free();
  }
}
