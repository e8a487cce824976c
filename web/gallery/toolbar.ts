// The proofing bar over the grid: who is here, the client's lists and how full the current one
// is, "Submit selection", and under it a banner while offline changes wait or the selection is
// locked. Bar and banner stick together, so "you're offline" stays in sight while scrolling.
import type { ListEntry, Settings } from "../../party/doc";
import { colourOf, h, initials } from "../lib/dom";
import type { Status } from "../lib/room";
import type { Person } from "./state";

export interface BarState {
  lists: ListEntry[];
  listId: string | null;
  picked: number;
  settings: Settings;
  locked: boolean;
  people: Person[];
  me: string | undefined;
  status: Status;
  waiting: number;
}

export class Toolbar {
  readonly avatars = h("div", { class: "presence", "aria-label": "People in this gallery" });
  readonly listSelect = h("select", { "aria-label": "Favourites list", onchange: () => this.on.chooseList(this.listSelect.value) });
  readonly counter = h("span", { class: "counter", "aria-live": "polite" });
  readonly newList = h("button", { type: "button", class: "ghost", onclick: () => this.askListName() }, "New list");
  readonly submit = h("button", { type: "button", class: "primary", onclick: () => this.on.submit() }, "Submit selection");
  readonly banner = h("div", { class: "banner", hidden: true, role: "status" });

  constructor(
    private readonly on: {
      chooseList: (listId: string) => void;
      createList: (name: string) => void;
      submit: () => void;
    },
  ) {}

  private askListName(): void {
    const name = prompt("Name the new list", "Album")?.trim();
    if (name) this.on.createList(name.slice(0, 60));
  }

  /** Mounts the bar under the gallery's header, with the controls other modules own: one beside the lists, the rest before submit. */
  mount(header: Element, besideLists: HTMLElement, tools: HTMLElement[]): void {
    const lists = h("div", { class: "lists" }, this.listSelect, this.counter, this.newList, besideLists);
    header.after(h("div", { class: "proof-top" }, h("div", { class: "proof-bar" }, this.avatars, lists, ...tools, this.submit), this.banner));
  }

  /** The room closed for good: the banner says why until the page is reloaded. */
  closed(reason: string): void {
    this.banner.textContent = reason.startsWith("gallery access changed")
      ? "This gallery's access changed — reload the page to continue."
      : `This gallery is closed: ${reason}.`;
  }

  paint(s: BarState): void {
    const { maxPerList, minPerList } = s.settings;
    this.listSelect.replaceChildren(
      ...s.lists.map((l) => h("option", { value: l.id, selected: l.id === s.listId }, l.submittedAt ? `${l.name} (sent)` : l.name)),
    );
    this.listSelect.hidden = s.lists.length === 0;
    this.newList.hidden = !s.settings.listsAllowed && s.lists.length > 0;
    this.counter.textContent = `♥ ${s.picked}${maxPerList !== null ? ` of ${maxPerList}` : ""}${minPerList ? ` (at least ${minPerList})` : ""}`;
    const list = s.lists.find((l) => l.id === s.listId);
    this.submit.disabled = !list || !!list.submittedAt || s.locked || (minPerList !== null && s.picked < minPerList);
    this.submit.textContent = list?.submittedAt ? "Selection sent" : "Submit selection";
    this.avatars.replaceChildren(
      ...s.people.map((p) =>
        h(
          "span",
          {
            class: "avatar",
            style: `background:${colourOf(p.id)}`,
            title: p.id === s.me ? `${p.name} (you)` : p.role === "photographer" ? `${p.name} (photographer)` : p.name,
          },
          initials(p.name),
        ),
      ),
    );
    const banner = this.banner;
    banner.hidden = (s.status === "online" || (s.status === "connecting" && s.waiting === 0)) && !s.locked;
    banner.className = `banner ${s.status}`;
    banner.textContent = s.locked
      ? "The photographer has locked this selection."
      : s.status === "closed"
        ? banner.textContent
        : s.status === "online"
          ? ""
          : `You're offline — ${s.waiting} change${s.waiting === 1 ? "" : "s"} will sync when you reconnect.`;
  }
}
