// The Worker's entry: HTTP through the Hono app, the images queue, and the Durable Object class.
import { app } from "./app";
import { handleImageBatch } from "./images/queue";

export { GalleryRoom } from "../party/gallery-room";

export default {
  fetch: app.fetch,
  queue: handleImageBatch,
} satisfies ExportedHandler<Env>;
