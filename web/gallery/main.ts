// The client gallery app: mounts on the server-rendered page and makes it live — sections that
// fill as the client scrolls, favourites in named lists with the gallery's limits, comments, who
// is here and what they look at, submit, and an offline banner while unanswered changes wait.
import { pastDue } from "../../party/doc";
import type { GalleryPageData } from "../../worker/contract/galleries";
import { toast } from "../lib/dom";
import { newId, Room } from "../lib/room";
import { download } from "./download";
import { DownloadAll } from "./download-all";
import { Favourites } from "./favourites";
import { Lightbox } from "./lightbox";
import { askName } from "./name-dialog";
import { PhotoSearch } from "./search";
import { Sections } from "./sections";
import { Shop } from "./shop";
import { Stacks } from "./stacks";
import { View } from "./state";
import { Tiles } from "./tiles";
import { Toolbar } from "./toolbar";

const data: GalleryPageData = JSON.parse(document.getElementById("gallery-data")!.textContent!);
const room = new Room(data.galleryId);
// The due date in the client's own time zone and words.
for (const t of document.querySelectorAll<HTMLTimeElement>(".due time")) {
  t.textContent = new Date(t.dateTime).toLocaleString(undefined, { weekday: "long", day: "numeric", month: "long", hour: "numeric", minute: "2-digit" });
}
const view = new View(room);
const listKey = `loupe:list:${data.galleryId}`;
let activeList: string | null = localStorage.getItem(listKey);

function currentList(): string | null {
  const mine = view.myLists();
  if (!mine.some((l) => l.id === activeList)) activeList = mine[0]?.id ?? null;
  return activeList;
}

function togglePick(photoId: string): void {
  let listId = currentList();
  if (!listId) {
    listId = `l-${newId()}`;
    room.send({ type: "list.create", listId, name: "Favourites" });
    activeList = listId;
    localStorage.setItem(listKey, listId);
  }
  const on = view.picked(listId, photoId);
  const max = view.settings.maxPerList;
  if (!on && max !== null && view.pickedIds(listId).size >= max) {
    toast(`This gallery allows ${max} favourites per list.`, "error");
    return;
  }
  room.send({ type: on ? "unpick" : "pick", listId, photoId });
}

// Tiles arrive a page at a time; each is given its heart, badge and faces as it comes.
const sections = new Sections(data, (added) => {
  for (const li of added) decorate(li);
  render();
});

const lightbox = new Lightbox(sections.photos, {
  isPicked: (id) => !!currentList() && view.picked(currentList()!, id),
  togglePick,
  comments: (id) => view.comments(id),
  addComment: (photoId, text, replyTo) => void room.send({ type: "comment.add", commentId: `c-${newId()}`, photoId, text, ...(replyTo && { replyTo }) }),
  viewers: (id) => view.people().filter((p) => p.viewing === id && p.id !== room.me?.id),
  onOpen: (id) => room.setViewing(id),
  // A guest the studio gave no download right sees no download button at all.
  download: data.myDownloads.allowed ? (id) => void download(data.galleryId, data.downloads, id) : null,
});

const bar = new Toolbar({
  chooseList: (listId) => {
    activeList = listId;
    localStorage.setItem(listKey, activeList);
    render();
    void favourites.refresh();
  },
  createList: (name) => {
    activeList = `l-${newId()}`;
    localStorage.setItem(listKey, activeList);
    room.send({ type: "list.create", listId: activeList, name });
  },
  submit: () => {
    const listId = currentList();
    if (listId && confirm("Send this selection to the photographer? You can't change it afterwards.")) room.send({ type: "list.submit", listId });
  },
});
// Similar shots: a burst shows as one tile with "5 similar"; compare them side by side.
const stacks = new Stacks({
  frames: (stackId) => sections.stack(stackId),
  isPicked: (id) => !!currentList() && view.picked(currentList()!, id),
  togglePick,
  open: (photos, i) => lightbox.open(i, photos),
});
const tiles = new Tiles({
  togglePick,
  open: (li, id) => {
    const list = li.closest(".favourites") ? favourites.photos : li.closest(".search-results") ? search.photos : sections.photos;
    lightbox.open(
      list.findIndex((p) => p.id === id),
      list,
    );
  },
});
function decorate(li: HTMLLIElement): void {
  tiles.add(li);
  // Bursts fold in the gallery's own grid; favourites and search results show every frame.
  if (!li.closest(".favourites, .search-results")) stacks.add(li);
}
document.querySelectorAll<HTMLLIElement>(".grid li[data-photo-id]").forEach(decorate);

/** Tiles a view put up get hearts and badges; tiles it took down are forgotten. */
function shown(added: HTMLLIElement[], removed: HTMLLIElement[]): void {
  for (const li of removed) tiles.remove(li);
  for (const li of added) decorate(li);
  render();
}

// "My favourites": the current list's photos in one grid, fetched by id, without loading the rest.
const favourites = new Favourites(sections, {
  pickedIds: () => {
    const listId = currentList();
    return listId ? [...view.pickedIds(listId)] : [];
  },
  shown,
});
// "Download all": the gallery, a set or the current favourites list as a zip, in parts if big.
const downloadAll = data.myDownloads.allowed
  ? new DownloadAll(data, {
      favourites: () => {
        const list = view.myLists().find((l) => l.id === currentList());
        return list ? { id: list.id, name: list.name, count: view.pickedIds(list.id).size } : null;
      },
      askName: () => new Promise<void>((done) => askName(data.galleryId, () => done())),
    })
  : null;
// "Find photos": the numbers a client quotes, across every set.
const search = new PhotoSearch(data.galleryId, shown);

bar.mount(document.querySelector(".gallery-header")!, favourites.button, [search.form, ...(downloadAll ? [downloadAll.button] : [])]);

let queued = false;
const sent = new Set<string>();
function render(): void {
  if (queued) return;
  queued = true;
  requestAnimationFrame(() => {
    queued = false;
    const lists = view.myLists();
    // A list the photographer reopened: its owner is told at once.
    for (const l of lists) {
      if (sent.has(l.id) && !l.submittedAt) toast(`The photographer reopened “${l.name}”: you can change it and send it again.`);
      if (l.submittedAt) sent.add(l.id);
      else sent.delete(l.id);
    }
    const listId = currentList();
    const picked = listId ? view.pickedIds(listId) : new Set<string>();
    // Locked by the photographer, or closed by the due date the studio chose to lock at.
    const locked = view.settings.locked || pastDue(view.settings, Date.now());
    const list = lists.find((l) => l.id === listId);
    favourites.count(list?.name ?? null, picked.size, view.settings.maxPerList);
    const people = view.people();
    const me = room.me?.id;
    bar.paint({ lists, listId, picked: picked.size, settings: view.settings, locked, people, me, status: room.status, waiting: room.pending.size });
    tiles.paint({ picked, loves: view.pickCounts(), notes: view.commentCounts(), people, me });
    stacks.render();
    lightbox.render();
  });
}

// The store appears once the visitor has a name (their cart is theirs) and if the studio sells here.
let shopAsked = false;
function openShop(): void {
  if (shopAsked || room.status !== "online") return;
  shopAsked = true;
  void Shop.open(data.galleryId, sections.photos).then((shop) => {
    if (!shop) return;
    bar.submit.before(shop.button);
    lightbox.enableBuy((id) => shop.buy(id));
  });
}
const back = new URLSearchParams(location.search);
if (back.get("paid")) toast("Thank you — your payment was received. A confirmation is on its way by email.");
else if (back.get("cancelled")) toast("The payment was cancelled; nothing was charged.", "error");

room.on("change", render);
room.on("status", () => {
  render();
  openShop();
});
room.on("needName", () => askName(data.galleryId, () => void room.connect()));
room.on("rejected", (r) => toast(r.message, "error"));
room.on("closed", (reason) => {
  bar.closed(reason);
  render();
});
room.on("photoReady", () => toast("New photos have arrived — refresh to see them."));
render();
// Present from the first moment, not only once a photo is opened.
room.setViewing(null);
void room.start();

// A link to one photo (#photo=<id>) opens it: among the loaded photos, or fetched alone.
const linked = /^#photo=([\w-]{1,64})$/.exec(location.hash)?.[1];
if (linked) {
  const at = sections.photos.findIndex((p) => p.id === linked);
  if (at >= 0) lightbox.open(at, sections.photos);
  else
    void sections.byIds([linked]).then((found) => {
      if (found.length) lightbox.open(0, found);
      else toast("That photo is not in this gallery any more.", "error");
    });
}
