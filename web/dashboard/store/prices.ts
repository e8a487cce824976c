// Price sheets and discount codes: the studio's sheets (each opens the editor) and a starter sheet
// for a new one, then the codes.
import type { DiscountView, PriceSheetsResponse } from "../../../worker/contract/store";
import { h } from "../../lib/dom";
import { api, errorOf } from "../api";
import { allPages } from "../paging";
import { discountsBlock } from "./discounts";
import { type Sheet, sheetEditor } from "./sheet-editor";

const STARTER: Sheet = {
  name: "Prints and downloads",
  currency: "usd",
  taxRateBps: 0,
  stripeTax: false,
  items: [
    { kind: "print", name: "Print 8×10", size: "8×10", paper: "Lustre", unitAmount: 2500 },
    { kind: "canvas", name: "Canvas 16×20", size: "16×20", unitAmount: 15000 },
    { kind: "digital", name: "High-res download", variant: "high_res", unitAmount: 1500 },
    { kind: "package", name: "10 digital files", variant: "high_res", packageCount: 10, unitAmount: 10000 },
  ],
  shipping: [{ name: "Standard", amount: 900 }],
};

export async function renderPrices(body: HTMLElement, base: string): Promise<void> {
  const [sheets, discounts] = await Promise.all([
    api<PriceSheetsResponse>("GET", `${base}/price-sheets`),
    allPages<"discounts", DiscountView>(`${base}/discounts`, "discounts"),
  ]);
  if (!sheets.ok) return void body.replaceChildren(h("p", { class: "error" }, errorOf(sheets)));
  if (!discounts.ok) return void body.replaceChildren(h("p", { class: "error" }, errorOf(discounts)));
  const editor = h("div", {});
  const list = sheets.data.priceSheets.map((s) =>
    h(
      "li",
      {},
      h(
        "a",
        {
          href: "#",
          onclick: (e) => {
            e.preventDefault();
            sheetEditor(editor, base, s, () => renderPrices(body, base));
          },
        },
        s.name,
      ),
      h("span", { class: "muted" }, ` · ${s.items.length} items · ${s.currency.toUpperCase()}`),
    ),
  );
  body.replaceChildren(
    h("h3", {}, "Price sheets"),
    list.length ? h("ul", { class: "gallery-list" }, ...list) : h("p", { class: "muted" }, "No price sheet yet."),
    h("button", { type: "button", onclick: () => sheetEditor(editor, base, structuredClone(STARTER), () => renderPrices(body, base)) }, "New price sheet"),
    editor,
    h("h3", {}, "Discount codes"),
    discountsBlock(base, discounts.data, () => renderPrices(body, base)),
  );
}
