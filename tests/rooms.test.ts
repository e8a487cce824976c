// Live rooms through the worker with real WebSockets: who may open a room, what a client can and
// cannot change, limits under concurrency, durability, replay and bad frames.
import { abortAllDurableObjects, env } from "cloudflare:test";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { call, json, signUp, studioHost } from "./helpers";
import { newGallery, startUpload } from "./images-helpers";
import { clientTicket, intentId, joinAsClient, joinAsPhotographer, RoomClient, until } from "./room-client";

type Owner = Awaited<ReturnType<typeof signUp>>;

/** A gallery with photos still uploading: proofing does not wait for originals. */
async function proofingGallery(slug: string, photos = 4) {
  const owner = await signUp(slug);
  const gallery = await newGallery(owner, { title: `Proofing ${slug}` });
  const photoIds: string[] = [];
  for (let i = 1; i <= photos; i++) {
    const res = await startUpload(owner, gallery.id, `DSC_${String(1000 + i)}.jpg`, 5_000_000);
    photoIds.push((await json(res)).photo.id);
  }
  return { owner, galleryId: gallery.id as string, photoIds };
}

const list = (listId: string, name = "Favourites") => ({ type: "list.create", id: intentId(), listId, name });
const pick = (listId: string, photoId: string) => ({ type: "pick", id: intentId(), listId, photoId });

describe("room tokens", () => {
  it("opens with a ticket and syncs the document read-only", async () => {
    const { owner, galleryId, photoIds } = await proofingGallery("room-basic");
    const anna = await joinAsClient(owner.studio.slug, galleryId, "Anna");
    expect(anna.closed).toBeNull();
    expect(anna.replies[0]).toMatchObject({ type: "hello", actor: { name: "Anna", role: "client" } });
    expect((await anna.intent(list("anna-favs"))).type).toBe("ack");
    expect((await anna.intent(pick("anna-favs", photoIds[0]!))).type).toBe("ack");
    const ben = await joinAsClient(owner.studio.slug, galleryId, "Ben");
    await until(() => ben.picks.has(`anna-favs/${photoIds[0]}`), "Ben sees Anna's pick");
    expect(ben.lists.get("anna-favs")).toMatchObject({ name: "Favourites", ownerId: anna.actor.id });
  });
});
