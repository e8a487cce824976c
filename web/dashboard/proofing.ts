// Proofing, live: who is in the gallery and what they look at, picks and comments as they
// happen, each client's selection with its exports, and the comments to answer. The studio joins
// the gallery's room like a client does, with the photographer's powers (resolve, lock).
import { type CommentEntry, type ListEntry, roots } from "../../party/doc";
import type { GalleryView } from "../../worker/contract/galleries";
import type { Page } from "../../worker/contract/paging";
import type { PhotoView } from "../../worker/contract/photos";
import type { ActivityPage } from "../../worker/contract/proofing";
import { View } from "../gallery/state";
import { colourOf, h, initials, toast } from "../lib/dom";
import { Room } from "../lib/room";
import { api } from "./api";
import { commentThreads } from "./comment-threads";
import { selectionsPanel } from "./selections";

let current: Room | null = null;

export function stopProofing(): void {
  current?.close();
  current = null;
}

export async function renderProofing(body: HTMLElement, base: string, g: GalleryView): Promise<void> {
  // Filenames of the photos this panel names, asked for by id as they come up (a 5,000-photo
  // gallery is not listed whole for them); one not known yet, or refused, reads "a photo".
  const names = new Map<string, string>();
  // Each id is asked about once; a second caller waits for the first one's answer.
  const asked = new Map<string, Promise<void>>();
  const nameOf = (id: string | null | undefined) => (id && names.get(id)) || "a photo";
  /** Resolves once these ids' names are known (or known to be missing); true if any became known. */
  const learn = async (ids: (string | null | undefined)[]) => {
    const unnamed = [...new Set(ids.filter((id): id is string => !!id && !names.has(id)))];
    const fresh = unnamed.filter((id) => !asked.has(id));
    for (let i = 0; i < fresh.length; i += 200) {
      const chunk = fresh.slice(i, i + 200);
      const lookup = api<Page<"photos", PhotoView>>("GET", `${base}/photos?ids=${chunk.join(",")}`).then((res) => {
        if (res.ok) for (const p of res.data.photos) names.set(p.id, p.filename);
      });
      for (const id of chunk) asked.set(id, lookup);
    }
    await Promise.all(unnamed.map((id) => asked.get(id)));
    return unnamed.some((id) => names.has(id));
  };
  const room = new Room(g.id, `${base}/room-token`);
  current = room;
  const view = new View(room);
  const people = h("ul", { class: "people" });
  const feed = h("ol", { class: "feed", "aria-label": "Activity" });
  const selections = selectionsPanel(
    base,
    (listId) => room.send({ type: "list.reopen", listId }),
    () => view.settings.maxPerList,
  );
  const inbox = commentThreads(room, (id) => nameOf(id));
  const lock = h("button", { type: "button", onclick: () => room.send({ type: "selection.lock", locked: !view.settings.locked }) });

  const FEED_MAX = 200;
  const event = (text: string) => {
    feed.prepend(h("li", {}, h("time", {}, new Date().toLocaleTimeString()), " ", text));
    while (feed.children.length > FEED_MAX) feed.lastElementChild!.remove();
  };
  /**
   * One change's feed lines, once their photos' names are known. A first sync can bring thousands
   * (a 300-guest wedding); the feed keeps 200, so only those are named, in one lookup.
   */
  const report = (lines: { photoId: string; text: (photo: string) => string }[]) => {
    const kept = lines.slice(-FEED_MAX);
    if (kept.length === 0) return;
    void learn(kept.map((l) => l.photoId)).then(() => {
      for (const l of kept) event(l.text(nameOf(l.photoId)));
    });
  };
  const lists = room.doc.getMap<ListEntry>("lists");
  const pickLine = (listId: string, photoId: string, did: "picked" | "removed") => {
    const list = lists.get(listId);
    return {
      photoId,
      text: (photo: string) => `${list?.ownerName ?? "Someone"} ${did} ${photo} ${did === "picked" ? "into" : "from"} ${list?.name ?? "a list"}`,
    };
  };
  // Picks live in one map per list (party/doc.ts): a change inside one names the list by its path;
  // a list's first pick arrives with the list's map itself, as a change of the outer map.
  roots(room.doc).picked.observeDeep((events) => {
    const lines: ReturnType<typeof pickLine>[] = [];
    for (const e of events) {
      const listId = e.path[0];
      if (e.path.length === 0) {
        e.changes.keys.forEach((change, key) => {
          if (change.action === "add") for (const photoId of roots(room.doc).picked.get(key)?.keys() ?? []) lines.push(pickLine(key, photoId, "picked"));
        });
      } else if (typeof listId === "string") {
        e.changes.keys.forEach((change, photoId) => {
          if (change.action === "add") lines.push(pickLine(listId, photoId, "picked"));
          if (change.action === "delete") lines.push(pickLine(listId, photoId, "removed"));
        });
      }
    }
    report(lines);
  });
  room.doc.getMap<CommentEntry>("comments").observe((e) => {
    const lines: Parameters<typeof report>[0] = [];
    e.changes.keys.forEach((change, key) => {
      const c = room.doc.getMap<CommentEntry>("comments").get(key);
      if (change.action === "add" && c)
        lines.push({ photoId: c.photoId, text: (photo) => `${c.authorName} ${c.replyTo ? "replied" : "commented"} on ${photo}: “${c.text}”` });
    });
    report(lines);
  });
  lists.observe((e) =>
    e.changes.keys.forEach((change, key) => {
      const l = lists.get(key);
      if (change.action === "update" && l?.submittedAt) event(`${l.ownerName} submitted “${l.name}”`);
    }),
  );

  const render = () => {
    const everyone = view.people();
    const comments = [...room.doc.getMap<CommentEntry>("comments").values()];
    void learn([...everyone.map((p) => p.viewing), ...comments.map((c) => c.photoId)]).then((more) => more && render());
    people.replaceChildren(
      ...everyone.map((p) =>
        h(
          "li",
          {},
          h("span", { class: "avatar small", style: `background:${colourOf(p.id)}` }, initials(p.name)),
          ` ${p.name}${p.id === room.me?.id ? " (you)" : ""}`,
          p.viewing ? h("span", { class: "muted" }, ` — viewing ${nameOf(p.viewing)}`) : "",
        ),
      ),
    );
    lock.textContent = view.settings.locked ? "Unlock selection" : "Lock selection";
    inbox.render();
    selections.changed();
  };
  room.on("change", render);
  room.on("rejected", (r) => toast(r.message, "error"));

  const feedRes = await api<ActivityPage>("GET", `${base}/activity?limit=30`);
  for (const a of feedRes.ok ? [...feedRes.data.activity].reverse() : []) {
    feed.prepend(
      h(
        "li",
        { class: "past" },
        h("time", {}, new Date(a.at).toLocaleString()),
        ` ${a.actor.name} ${a.type.replace(".", " ")}${a.photo?.filename ? ` ${a.photo.filename}` : ""}`,
      ),
    );
  }
  body.replaceChildren(
    h(
      "div",
      { class: "proofing" },
      h("section", {}, h("h3", {}, "In the gallery now"), people, h("h3", {}, "Live activity"), feed),
      h("section", {}, h("h3", {}, "Selections"), lock, selections.element, h("h3", {}, "Comments"), inbox.element),
    ),
  );
  render();
  await selections.start();
  room.setViewing(null);
  await room.start();
}
