// The print lab: the studio connects its Prodigi account (the key is checked by the lab, then shown
// only by its last four characters), chooses whether paid orders wait for review, and says which
// lab product each print, canvas and metal item is, seeing the lab's cost and its margin.
import type { LabConnectionResponse, LabConnectionView, LabProductResponse, LabProductsResponse, LabProductView } from "../../../worker/contract/labs";
import { labTiers } from "../../../worker/contract/labs";
import { type PriceItemView, type PriceSheetsResponse, type PriceSheetView, physicalKinds } from "../../../worker/contract/store";
import { h, toast } from "../../lib/dom";
import { api, errorOf } from "../api";
import { money } from "./money";

const PHYSICAL = new Set<string>(physicalKinds);

function connectForm(base: string, done: () => void): HTMLElement {
  const env = h(
    "select",
    { name: "environment", "aria-label": "Prodigi environment" },
    h("option", { value: "sandbox" }, "Sandbox (test orders)"),
    h("option", { value: "live" }, "Live"),
  );
  const key = h("input", { type: "password", name: "apiKey", placeholder: "Prodigi API key", autocomplete: "off", "aria-label": "Prodigi API key" });
  const hold = h("input", { type: "checkbox", name: "holdForReview" });
  const form = h(
    "form",
    { class: "lab-connect" },
    h("p", {}, "Connect your Prodigi account: paid orders for the items you map below go to Prodigi by themselves, and tracking comes back to your client."),
    h("div", { class: "inline-form" }, env, key),
    h("label", { class: "check" }, hold, "Hold each paid order for my review before it goes to the lab"),
    h("button", { type: "submit", class: "primary" }, "Connect Prodigi"),
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const res = await api<LabConnectionResponse>("PUT", `${base}/lab`, {
      lab: "prodigi",
      environment: env.value,
      apiKey: key.value,
      holdForReview: hold.checked,
    });
    if (!res.ok) return void toast(errorOf(res), "error");
    toast("Prodigi is connected.");
    done();
  });
  return form;
}

function connected(base: string, c: LabConnectionView, done: () => void): HTMLElement {
  const patch = async (body: unknown) => {
    const res = await api<LabConnectionResponse>("PATCH", `${base}/lab`, body);
    if (!res.ok) return void toast(errorOf(res), "error");
    toast("Saved.");
  };
  const hold = h("input", { type: "checkbox", checked: c.holdForReview, onchange: () => void patch({ holdForReview: hold.checked }) });
  const tier = h(
    "select",
    { "aria-label": "Lab shipping", onchange: () => void patch({ tier: tier.value }) },
    ...labTiers.map((t) => h("option", { value: t, selected: t === c.tier }, `${t[0]!.toUpperCase()}${t.slice(1)} shipping`)),
  );
  const disconnect = async () => {
    if (!confirm("Disconnect Prodigi? Orders already at the lab carry on; new ones stay with you.")) return;
    const res = await api("DELETE", `${base}/lab`);
    if (!res.ok) return void toast(errorOf(res), "error");
    done();
  };
  return h(
    "div",
    {},
    h("p", {}, `Connected to Prodigi (${c.environment}) with the key ending “${c.keyHint}”.`),
    h("label", { class: "check" }, hold, "Hold each paid order for my review before it goes to the lab"),
    h("div", { class: "inline-form" }, tier, h("button", { type: "button", class: "danger", onclick: () => void disconnect() }, "Disconnect")),
  );
}

const attrsText = (a: Record<string, string>) =>
  Object.entries(a)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
const attrsOf = (text: string) =>
  Object.fromEntries(text.split(",").flatMap((p) => (p.includes("=") ? [p.split("=").map((s) => s.trim()) as [string, string]] : [])));

function itemRow(base: string, sheet: PriceSheetView, item: PriceItemView, mapped: LabProductView | undefined): HTMLElement {
  const sku = h("input", { value: mapped?.sku ?? "", placeholder: "Lab SKU, e.g. GLOBAL-PHO-8X10", "aria-label": `Lab SKU for ${item.name}` });
  const attrs = h("input", {
    value: mapped ? attrsText(mapped.attributes) : "",
    placeholder: "Options, e.g. finish=lustre",
    "aria-label": `Lab options for ${item.name}`,
  });
  const cost = h("td", { class: "num" });
  const margin = h("td", { class: "num" });
  const show = (p: LabProductView | undefined) => {
    cost.textContent = p ? money(p.unitCost, p.costCurrency) : "—";
    margin.textContent = p ? (p.margin === null ? `(${p.costCurrency.toUpperCase()})` : money(p.margin, sheet.currency)) : "—";
    margin.className = p?.margin !== null && p?.margin !== undefined && p.margin < 0 ? "num error" : "num";
  };
  const save = async () => {
    const path = `${base}/price-sheets/${sheet.id}/items/${item.id}/lab`;
    if (!sku.value.trim()) {
      const res = await api("DELETE", path);
      if (!res.ok) return void toast(errorOf(res), "error");
      show(undefined);
      return void toast(`${item.name} stays with you.`);
    }
    const res = await api<LabProductResponse>("PUT", path, { sku: sku.value, attributes: attrsOf(attrs.value) });
    if (!res.ok) return void toast(errorOf(res), "error");
    show(res.data.product);
    toast(`${item.name} is made by Prodigi as ${res.data.product.sku}.`);
  };
  show(mapped);
  return h(
    "tr",
    { "data-item": item.name },
    h("td", {}, item.name),
    h("td", { class: "num" }, money(item.unitAmount, sheet.currency)),
    h("td", {}, sku),
    h("td", {}, attrs),
    cost,
    margin,
    h("td", {}, h("button", { type: "button", onclick: () => void save() }, "Save")),
  );
}

async function sheetTable(base: string, sheet: PriceSheetView): Promise<HTMLElement> {
  const res = await api<LabProductsResponse>("GET", `${base}/price-sheets/${sheet.id}/lab-products`);
  const mapped = res.ok ? res.data.products : [];
  const items = sheet.items.filter((i) => PHYSICAL.has(i.kind));
  return h(
    "section",
    { class: "card" },
    h("h3", {}, sheet.name),
    items.length === 0
      ? h("p", { class: "muted" }, "No prints, canvas or metal on this sheet.")
      : h(
          "table",
          { class: "lab-items" },
          h("thead", {}, h("tr", {}, ...["Item", "Price", "Lab SKU", "Options", "Lab cost", "Margin", ""].map((t) => h("th", {}, t)))),
          h(
            "tbody",
            {},
            ...items.map((i) =>
              itemRow(
                base,
                sheet,
                i,
                mapped.find((m) => m.itemId === i.id),
              ),
            ),
          ),
        ),
  );
}

export async function renderLab(body: HTMLElement, base: string): Promise<void> {
  const [conn, sheets] = await Promise.all([api<LabConnectionResponse>("GET", `${base}/lab`), api<PriceSheetsResponse>("GET", `${base}/price-sheets`)]);
  if (!conn.ok) return void body.replaceChildren(h("p", { class: "error" }, errorOf(conn)));
  const again = () => void renderLab(body, base);
  const c = conn.data.connection;
  const account = h("section", { class: "card" }, h("h3", {}, "Prodigi"), c ? connected(base, c, again) : connectForm(base, again));
  const tables = c && sheets.ok ? await Promise.all(sheets.data.priceSheets.map((s) => sheetTable(base, s))) : [];
  body.replaceChildren(account, ...tables);
}
