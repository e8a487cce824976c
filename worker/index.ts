// The Worker's entry: HTTP through the Hono app, the images queue, scheduled mail, and the Durable
// Object class.
import { app } from "./app";
import { scheduled } from "./cron";
import { handleImageBatch } from "./images/queue";

export { GalleryRoom } from "./rooms/gallery-room";

export default {
  fetch: app.fetch,
  queue: handleImageBatch,
  scheduled,
} satisfies ExportedHandler<Env>;
