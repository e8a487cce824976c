// The proofing tab's selections: every client's list with its exports (Lightroom filter, CSV),
// a page of lists at a time, read again in place when the room says lists or picks changed.
import type { SelectionExport } from "../../worker/contract/proofing";
import { h, toast } from "../lib/dom";
import { pagedList } from "./paging";

// Picks arrive in bursts while clients browse; one reading after the burst is enough.
const SETTLE_MS = 1500;

/** The list's photos as the client sees them, small: the studio can look through any client's favourites. */
function listPhotos(base: string, l: SelectionExport, max: number | null): HTMLElement {
  const grid = h("ul", { class: "list-photos", hidden: true });
  const toggle = h(
    "button",
    {
      type: "button",
      "aria-expanded": "false",
      onclick: () => {
        const open = grid.hidden;
        grid.hidden = !open;
        toggle.setAttribute("aria-expanded", String(open));
        toggle.textContent = open ? "Hide photos" : "Show photos";
        if (open && grid.childElementCount === 0) {
          grid.append(
            ...l.photos.map((p) =>
              h("li", {}, h("img", { src: `${base}/photos/${p.id}/thumb.jpg`, alt: p.filename, loading: "lazy" }), h("span", {}, p.filename)),
            ),
          );
        }
      },
    },
    "Show photos",
  );
  const counted = max !== null ? `${l.count} of ${max}` : `${l.count}`;
  return h("div", { class: "list-view" }, toggle, h("span", { class: "muted" }, ` ♥ ${counted}`), grid);
}

function listCard(base: string, l: SelectionExport, reopen: (listId: string) => void, max: number | null): HTMLElement {
  return h(
    "li",
    { class: "selection" },
    h(
      "p",
      {},
      h("strong", {}, `${l.ownerName} — ${l.name}`),
      ` · ${l.count} photo${l.count === 1 ? "" : "s"}`,
      l.submittedAt ? h("span", { class: "tag" }, " submitted") : "",
      l.submittedAt
        ? h(
            "button",
            {
              type: "button",
              class: "link reopen",
              onclick: () => {
                if (confirm(`Reopen “${l.name}” for ${l.ownerName} to change? They are told at once.`)) reopen(l.id);
              },
            },
            " Reopen",
          )
        : "",
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
    listPhotos(base, l, max),
  );
}

/** The selections panel; `changed()` is called on every change the room reports. */
export function selectionsPanel(
  base: string,
  reopen: (listId: string) => void,
  maxPerList: () => number | null,
): { element: HTMLElement; start: () => Promise<unknown>; changed: () => void } {
  const list = pagedList<"lists", SelectionExport>({
    path: `${base}/selections`,
    key: "lists",
    className: "selections",
    render: (l) => listCard(base, l, reopen, maxPerList()),
    empty: "No selections yet.",
  });
  let timer: ReturnType<typeof setTimeout> | null = null;
  const changed = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void list.reload(), SETTLE_MS);
  };
  return { element: list.element, start: list.start, changed };
}
