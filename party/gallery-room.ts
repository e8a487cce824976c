// One Durable Object per gallery, named `<tenantId>:<galleryId>` by the worker, syncing the
// gallery's Yjs document. The rooms issue adds the intents, persistence and the worker route;
// the class exists now so the binding and its SQLite migration are in place from the start.
import { YServer } from "y-partyserver";

export class GalleryRoom extends YServer<Env> {
  static override options = { hibernate: true };
}
