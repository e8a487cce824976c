// The Worker's entry: HTTP through the Hono app, the images, mail and lab queues, scheduled work, and
// the Durable Object class.
import { app } from "./app";
import { scheduled } from "./cron";
import { handleLabBatch } from "./domain/labs/queue";
import { handleMailBatch } from "./domain/mail/delivery";
import { handleImageBatch } from "./images/queue";

export { GalleryRoom } from "./rooms/gallery-room";

export default {
  fetch: app.fetch,
  // One consumer per queue (wrangler.toml), told apart by the queue's name.
  queue: (batch, env, ctx) =>
    batch.queue.startsWith("loupe-mail")
      ? handleMailBatch(batch, env)
      : batch.queue === "loupe-labs"
        ? handleLabBatch(batch, env)
        : handleImageBatch(batch, env, ctx),
  scheduled,
} satisfies ExportedHandler<Env>;
