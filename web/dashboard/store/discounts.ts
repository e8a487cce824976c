// Discount codes: the studio's list (uses, limits, on or off) and a form for a new one.
import type { DiscountResponse, DiscountView } from "../../../worker/contract/store";
import { h, toast } from "../../lib/dom";
import { api, errorOf } from "../api";

export function discountsBlock(base: string, discounts: DiscountView[], saved: () => Promise<void>): HTMLElement {
  const code = h("input", { name: "code", placeholder: "SPRING15", required: true, "aria-label": "Code" });
  const kind = h("select", { name: "kind", "aria-label": "Kind" }, h("option", { value: "percent" }, "% off"), h("option", { value: "fixed" }, "amount off"));
  const value = h("input", { name: "value", type: "number", min: 0.01, step: 0.01, required: true, placeholder: "15", "aria-label": "Value" });
  const uses = h("input", { name: "maxUses", type: "number", min: 1, placeholder: "Max uses", "aria-label": "Max uses" });
  const ends = h("input", { name: "endsAt", type: "date", "aria-label": "Ends" });
  const form = h(
    "form",
    {
      class: "inline-form",
      onsubmit: async (e) => {
        e.preventDefault();
        const res = await api<DiscountResponse>("POST", `${base}/discounts`, {
          code: code.value,
          kind: kind.value,
          value: Math.round(Number(value.value) * 100),
          ...(uses.value && { maxUses: Number(uses.value) }),
          ...(ends.value && { endsAt: new Date(ends.value).getTime() }),
        });
        if (!res.ok) return void toast(errorOf(res), "error");
        await saved();
      },
    },
    code,
    kind,
    value,
    uses,
    ends,
    h("button", { type: "submit" }, "Add code"),
  );
  const rows = discounts.map((d) =>
    h(
      "li",
      {},
      h("strong", {}, d.code),
      ` · ${d.kind === "percent" ? `${d.value / 100}% off` : `${(d.value / 100).toFixed(2)} off`}`,
      h(
        "span",
        { class: "muted" },
        ` · used ${d.uses}${d.maxUses ? ` of ${d.maxUses}` : ""}${d.endsAt ? ` · until ${new Date(d.endsAt).toLocaleDateString()}` : ""}${d.active ? "" : " · off"}`,
      ),
      " ",
      h(
        "button",
        {
          type: "button",
          class: "ghost",
          onclick: async () => {
            const res = await api<DiscountResponse>("PATCH", `${base}/discounts/${d.id}`, { active: !d.active });
            if (!res.ok) return void toast(errorOf(res), "error");
            await saved();
          },
        },
        d.active ? "Turn off" : "Turn on",
      ),
    ),
  );
  return h("div", {}, rows.length ? h("ul", { class: "gallery-list" }, ...rows) : h("p", { class: "muted" }, "No codes yet."), form);
}
