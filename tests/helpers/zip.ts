// What a zip Loupe streamed holds, read from its central directory: each entry's name and size.

/** Each entry of a zip, in order: its name and uncompressed size. */
export function zipEntries(bytes: Uint8Array): { name: string; size: number }[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: { name: string; size: number }[] = [];
  for (let i = 0; i + 46 <= bytes.length; i++) {
    if (view.getUint32(i, true) !== 0x02014b50) continue;
    const n = view.getUint16(i + 28, true);
    out.push({ name: new TextDecoder().decode(bytes.subarray(i + 46, i + 46 + n)), size: view.getUint32(i + 24, true) });
    i += 45 + n;
  }
  return out;
}

/** The names of a zip's entries, in order. */
export const zipNames = (bytes: Uint8Array): string[] => zipEntries(bytes).map((e) => e.name);
