// The pipeline's own notion of a photo that can never be processed: its file cannot be read, so a
// retry only delays the queue. Such a photo fails at once with the reason; anything else (storage,
// the IMAGES binding, a crash) is retried with backoff.
import { type Sniffed, sniffImage } from "./sniff";

export class PermanentError extends Error {}

export const isPermanent = (err: unknown): boolean => err instanceof PermanentError;

/** A stored file's type and size by its bytes; a file these bytes refuse fails for good. */
export function readHeader(filename: string, head: Uint8Array): Sniffed {
  try {
    return sniffImage(filename, head);
  } catch (err) {
    throw new PermanentError(err instanceof Error ? err.message : String(err));
  }
}
