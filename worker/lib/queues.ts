// Cloudflare Queues take at most 100 messages in one sendBatch (and 256 KB); a larger batch is
// refused whole. Everything Loupe announces in bulk goes through here.

export const QUEUE_BATCH = 100;

/** Sends every body, 100 to a sendBatch call. */
export async function sendAll<T>(queue: Queue<T>, bodies: readonly T[]): Promise<void> {
  for (let i = 0; i < bodies.length; i += QUEUE_BATCH) {
    await queue.sendBatch(bodies.slice(i, i + QUEUE_BATCH).map((body) => ({ body })));
  }
}
