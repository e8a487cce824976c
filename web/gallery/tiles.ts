// What each photo tile shows on top of its image: a heart for the client's current list, a badge
// counting everyone's favourites and comments, and the faces of whoever has the photo open. A
// photo can show twice (in its set and among the favourites or search results), so a photo id
// maps to every tile of it; tiles a view takes down are forgotten.
import { colourOf, h, initials } from "../lib/dom";
import type { Person } from "./state";

interface Marks {
  heart: HTMLButtonElement;
  badge: HTMLElement;
  faces: HTMLElement;
}

export interface TileState {
  picked: Set<string>;
  loves: Map<string, number>;
  notes: Map<string, number>;
  people: Person[];
  me: string | undefined;
}

export class Tiles {
  private readonly marks = new Map<string, Marks[]>();

  constructor(
    private readonly on: {
      togglePick: (photoId: string) => void;
      /** Opens the photo in the lightbox among the photos of the grid the tile is in. */
      open: (li: HTMLLIElement, photoId: string) => void;
    },
  ) {}

  add(li: HTMLLIElement): void {
    const id = li.dataset.photoId!;
    const heart = h(
      "button",
      { type: "button", class: "heart", "aria-pressed": "false", "aria-label": "Favourite", onclick: () => this.on.togglePick(id) },
      "♡",
    );
    const badge = h("span", { class: "badge", hidden: true });
    const faces = h("span", { class: "faces" });
    li.append(heart, badge, faces);
    li.querySelector("a")!.addEventListener("click", (e) => {
      e.preventDefault();
      this.on.open(li, id);
    });
    this.marks.set(id, [...(this.marks.get(id) ?? []), { heart, badge, faces }]);
  }

  remove(li: HTMLLIElement): void {
    const id = li.dataset.photoId!;
    this.marks.set(
      id,
      (this.marks.get(id) ?? []).filter((m) => !li.contains(m.heart)),
    );
  }

  paint({ picked, loves, notes, people, me }: TileState): void {
    for (const [id, each] of this.marks)
      for (const m of each) {
        const on = picked.has(id);
        m.heart.setAttribute("aria-pressed", String(on));
        m.heart.textContent = on ? "♥" : "♡";
        const n = notes.get(id) ?? 0;
        const loved = loves.get(id) ?? 0;
        m.badge.hidden = n === 0 && loved === 0;
        m.badge.textContent = [loved ? `♥ ${loved}` : "", n ? `✎ ${n}` : ""].filter(Boolean).join("  ");
        m.badge.title = `${loved} favourite${loved === 1 ? "" : "s"}, ${n} comment${n === 1 ? "" : "s"}`;
        m.faces.replaceChildren(
          ...people
            .filter((p) => p.viewing === id && p.id !== me)
            .map((p) => h("span", { class: "avatar tiny", style: `background:${colourOf(p.id)}`, title: `${p.name} is viewing this photo` }, initials(p.name))),
        );
      }
  }
}
