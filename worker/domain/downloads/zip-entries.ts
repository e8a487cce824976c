// What every zip Loupe streams (a gallery's "download all" and an order's files) shares: the names
// entries keep, and how a file's bytes reach client-zip. R2 hands a body over in small chunks, and
// client-zip pays a generator step, a CRC call and an enqueue per chunk, and the response holds
// promises per chunk until it ends: read natively in 1 MiB chunks, a zip costs about the CRC over
// each byte and its memory stays flat (bench:zip measures both ways).
import { makeZip } from "client-zip";
import type { PhotoFile } from "../photos/serve";

const CHUNK = 1024 * 1024;

/** A name each file keeps inside the zip; a name that repeats (any case) gets " (2)", " (3)". */
export function namer(): (name: string) => string {
  const seen = new Map<string, number>();
  return (name) => {
    const n = (seen.get(name.toLowerCase()) ?? 0) + 1;
    seen.set(name.toLowerCase(), n);
    return n === 1 ? name : name.replace(/(\.[^./]+)?$/, ` (${n})$1`);
  };
}

/** A folder or archive name from a set or gallery name: no path separators or control characters. */
export const folder = (name: string) => name.replace(/[\\/:*?"<>|\p{Cc}]+/gu, "-").trim() || "Photos";

/** A body of known size, read natively in 1 MiB chunks (the last one shorter). */
function rechunked(body: ReadableStream, size: number): ReadableStream<Uint8Array> {
  const reader = body.getReader({ mode: "byob" });
  let left = size;
  return new ReadableStream<Uint8Array>({
    async pull(c) {
      if (left <= 0) {
        reader.releaseLock();
        return c.close();
      }
      const want = Math.min(CHUNK, left);
      const read = await reader.readAtLeast(want, new Uint8Array(want));
      const bytes: Uint8Array | undefined = read.value;
      if (!bytes?.byteLength) {
        reader.releaseLock();
        return c.close();
      }
      left -= bytes.byteLength;
      c.enqueue(bytes);
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

/** One zip entry for a file: its bytes chunked for the zip, and its size when it is known up front. */
export function zipEntry(name: string, file: PhotoFile, lastModified: Date) {
  if (file.size === null) return { name, input: file.body, lastModified };
  return { name, input: rechunked(file.body, file.size), lastModified, size: file.size };
}

/** A photo a zip part holds: opened only when the zip reaches it. */
export interface PartFile {
  /** The name it is missed by, when it cannot be opened. */
  label: string;
  lastModified: Date;
  open: () => Promise<PhotoFile>;
  /** Its path in the archive, from the opened file's name (a size can change the extension). */
  path?: (filename: string) => string;
}

/**
 * One part of a zip too big to check file by file first (a check is a subrequest per file): a
 * file lost since the part was planned is skipped and named in MISSING.txt, so the archive
 * stays whole.
 */
export function zipPart(files: Iterable<PartFile>): ReadableStream<Uint8Array> {
  const name = namer();
  async function* entries() {
    const missing: string[] = [];
    for (const f of files) {
      let file: PhotoFile;
      try {
        file = await f.open();
      } catch {
        missing.push(f.label);
        continue;
      }
      yield zipEntry(name(f.path ? f.path(file.filename) : file.filename), file, f.lastModified);
    }
    if (missing.length > 0) {
      yield { name: "MISSING.txt", input: `These photos were no longer available when this part was made:\n${missing.join("\n")}\n`, lastModified: new Date() };
    }
  }
  return makeZip(entries());
}
