// One Durable Object per gallery, named `<tenantId>:<galleryId>` by the worker, syncing the
// gallery's Yjs document. The rooms issue adds intents, persistence, tokens and the public
// route; until then the only way in is the worker's own stub (no route forwards to it).
import type { Connection } from "partyserver";
import { YServer } from "y-partyserver";

export class GalleryRoom extends YServer<Env> {
  static override options = { hibernate: true };

  override async onRequest(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (request.method === "POST" && url.pathname === "/internal/photo-ready") {
      const event = (await request.json()) as { type: string };
      this.broadcastCustomMessage(JSON.stringify(event));
      return new Response(null, { status: 204 });
    }
    return new Response("Not found", { status: 404 });
  }

  override onCustomMessage(_connection: Connection, _message: string): void {
    // Browsers send intents here once the rooms issue lands; nothing is accepted yet.
  }
}
