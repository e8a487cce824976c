// Sets sort a gallery's photos (Ceremony, Reception…): a bar to filter the grid by set, add a set,
// and rename or delete the one shown. Deleting a set keeps its photos; they are then in no set.
import type { GalleryView, SetResponse } from "../../worker/contract/galleries";
import { h, toast } from "../lib/dom";
import { api, errorOf } from "./api";

interface SetsBarHooks {
  filter: (filter: string) => void;
  changed: () => void;
}

export function drawSetsBar(bar: HTMLElement, base: string, g: GalleryView, current: string, on: SetsBarHooks): void {
  const count = (setId: string) => g.photos.bySet[setId] ?? 0;
  const chip = (id: string, label: string, n: number) =>
    h(
      "button",
      { type: "button", class: id === current ? "chip active" : "chip", "aria-pressed": String(id === current), onclick: () => on.filter(id) },
      `${label} `,
      h("span", { class: "muted" }, String(n)),
    );
  const chips = [chip("all", "All photos", g.photos.total), ...g.sets.map((s) => chip(s.id, s.name, count(s.id)))];
  if (g.sets.length) chips.push(chip("none", "Not in a set", count("none")));

  const name = h("input", { name: "setName", placeholder: "New set, e.g. Ceremony", maxlength: 80, required: true, "aria-label": "New set name" });
  const add = h(
    "form",
    {
      class: "inline-form",
      onsubmit: async (e) => {
        e.preventDefault();
        const res = await api<SetResponse>("POST", `${base}/sets`, { name: name.value });
        if (!res.ok) return void toast(errorOf(res), "error");
        g.sets.push(res.data.set);
        toast(`Set "${res.data.set.name}" added.`);
        on.changed();
      },
    },
    name,
    h("button", { type: "submit" }, "Add set"),
  );

  const set = g.sets.find((s) => s.id === current);
  const manage = set
    ? h(
        "span",
        { class: "set-manage" },
        h(
          "button",
          {
            type: "button",
            onclick: async () => {
              const next = prompt("Rename the set", set.name)?.trim();
              if (!next || next === set.name) return;
              const res = await api<SetResponse>("PATCH", `${base}/sets/${set.id}`, { name: next });
              if (!res.ok) return void toast(errorOf(res), "error");
              set.name = next;
              on.changed();
            },
          },
          "Rename",
        ),
        h(
          "button",
          {
            type: "button",
            class: "danger",
            onclick: async () => {
              if (!confirm(`Delete the set "${set.name}"? Its photos stay in the gallery.`)) return;
              const res = await api<unknown>("DELETE", `${base}/sets/${set.id}`);
              if (!res.ok) return void toast(errorOf(res), "error");
              g.sets = g.sets.filter((s) => s.id !== set.id);
              on.filter("all");
              on.changed();
            },
          },
          "Delete set",
        ),
      )
    : "";
  bar.replaceChildren(h("div", { class: "chips", role: "group", "aria-label": "Show" }, ...chips), manage, add);
}
