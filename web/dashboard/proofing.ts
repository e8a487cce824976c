// Proofing, live: who is in the gallery and what they look at, picks and comments as they
// happen, each client's selection with its exports, and the comments to answer. The studio joins
// the gallery's room like a client does, with the photographer's powers (resolve, lock).
import type { CommentEntry, ListEntry, PickEntry } from "../../party/doc";
import type { GalleryView } from "../../worker/contract/galleries";
import type { Page } from "../../worker/contract/paging";
import type { PhotoView } from "../../worker/contract/photos";
import type { ActivityPage, SelectionsResponse } from "../../worker/contract/proofing";
import { View } from "../gallery/state";
import { colourOf, h, initials, toast } from "../lib/dom";
import { Room } from "../lib/room";
import { api } from "./api";

let current: Room | null = null;

export function stopProofing(): void {
  current?.close();
  current = null;
}

export async function renderProofing(body: HTMLElement, base: string, g: GalleryView): Promise<void> {
  // Filenames of the photos this panel names, asked for by id as they come up (a 5,000-photo
  // gallery is not listed whole for them); one not known yet, or refused, reads "a photo".
  const names = new Map<string, string>();
  const asked = new Set<string>();
  const nameOf = (id: string | null | undefined) => (id && names.get(id)) || "a photo";
  const learn = async (ids: (string | null | undefined)[]) => {
    const missing = [...new Set(ids.filter((id): id is string => !!id && !asked.has(id)))];
    for (const id of missing) asked.add(id);
    for (let i = 0; i < missing.length; i += 200) {
      const res = await api<Page<"photos", PhotoView>>("GET", `${base}/photos?ids=${missing.slice(i, i + 200).join(",")}`);
      if (res.ok) for (const p of res.data.photos) names.set(p.id, p.filename);
    }
    return missing.length > 0;
  };
  const room = new Room(g.id, `${base}/room-token`);
  current = room;
  const view = new View(room);
  const people = h("ul", { class: "people" });
  const feed = h("ol", { class: "feed", "aria-label": "Activity" });
  const selections = h("div", { class: "selections" });
  const inbox = h("ul", { class: "inbox" });
  const lock = h("button", { type: "button", onclick: () => room.send({ type: "selection.lock", locked: !view.settings.locked }) });

  const event = (text: string) => {
    feed.prepend(h("li", {}, h("time", {}, new Date().toLocaleTimeString()), " ", text));
    while (feed.children.length > 200) feed.lastElementChild!.remove();
  };
  const lists = room.doc.getMap<ListEntry>("lists");
  room.doc.getMap<PickEntry>("picks").observe((e) => {
    e.changes.keys.forEach((change, key) => {
      const pick = change.action === "delete" ? (change.oldValue as PickEntry) : room.doc.getMap<PickEntry>("picks").get(key)!;
      const list = lists.get(pick.listId);
      const did = change.action === "add" ? "picked" : change.action === "delete" ? "removed" : null;
      if (did)
        void learn([pick.photoId]).then(() =>
          event(`${list?.ownerName ?? "Someone"} ${did} ${nameOf(pick.photoId)} ${did === "picked" ? "into" : "from"} ${list?.name ?? "a list"}`),
        );
    });
  });
  room.doc.getMap<CommentEntry>("comments").observe((e) => {
    e.changes.keys.forEach((change, key) => {
      const c = room.doc.getMap<CommentEntry>("comments").get(key);
      if (change.action === "add" && c) void learn([c.photoId]).then(() => event(`${c.authorName} commented on ${nameOf(c.photoId)}: “${c.text}”`));
    });
  });
  lists.observe((e) =>
    e.changes.keys.forEach((change, key) => {
      const l = lists.get(key);
      if (change.action === "update" && l?.submittedAt) event(`${l.ownerName} submitted “${l.name}”`);
    }),
  );

  let refresh: ReturnType<typeof setTimeout> | null = null;
  const loadSelections = async () => {
    const res = await api<SelectionsResponse>("GET", `${base}/selections`);
    if (!res.ok) return;
    selections.replaceChildren(
      ...(res.data.lists.length
        ? res.data.lists.map((l) =>
            h(
              "div",
              { class: "selection" },
              h(
                "p",
                {},
                h("strong", {}, `${l.ownerName} — ${l.name}`),
                ` · ${l.count} photo${l.count === 1 ? "" : "s"}`,
                l.submittedAt ? h("span", { class: "tag" }, " submitted") : "",
              ),
              h(
                "button",
                {
                  type: "button",
                  onclick: async () => {
                    await navigator.clipboard.writeText(l.lightroom).catch(() => undefined);
                    toast("Lightroom filter copied: paste it into Library › Text › Filename › Contains.");
                  },
                },
                "Copy for Lightroom",
              ),
              " ",
              h("a", { href: `${base}/selections.csv?list=${encodeURIComponent(l.id)}`, download: "" }, "Download CSV"),
              h("code", { class: "lr" }, l.lightroom || "(empty)"),
            ),
          )
        : [h("p", { class: "muted" }, "No selections yet.")]),
    );
  };

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
    const open = [...room.doc.getMap<CommentEntry>("comments").values()].sort((a, b) => b.at - a.at);
    inbox.replaceChildren(
      ...(open.length
        ? open.map((c) =>
            h(
              "li",
              { class: c.resolved ? "resolved" : "" },
              h("strong", {}, c.authorName),
              ` on ${nameOf(c.photoId)}: ${c.text} `,
              h(
                "button",
                { type: "button", onclick: () => room.send({ type: "comment.resolve", commentId: c.id, resolved: !c.resolved }) },
                c.resolved ? "Reopen" : "Resolve",
              ),
            ),
          )
        : [h("li", { class: "muted" }, "No comments yet.")]),
    );
    if (refresh) clearTimeout(refresh);
    refresh = setTimeout(() => void loadSelections(), 1500);
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
      h("section", {}, h("h3", {}, "Selections"), lock, selections, h("h3", {}, "Comments"), inbox),
    ),
  );
  render();
  await loadSelections();
  room.setViewing(null);
  await room.start();
}
