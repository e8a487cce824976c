// The studio's own domains, on the website screen: add one, copy the DNS record it needs, watch
// Cloudflare verify it and issue its certificate, and remove it. Staff see them read-only.
import type { DomainResponse, DomainsResponse, DomainView } from "../../worker/contract/domains";
import type { StudioRef, StudioRole } from "../../worker/contract/studios";
import { h } from "../lib/dom";
import { api, errorOf } from "./api";

const STATE_TEXT = {
  serving: "Live: your website answers here.",
  pending: "Waiting for your DNS record and the certificate. This usually takes minutes, at most a day.",
  failed: "Stuck: Cloudflare gave up.",
} as const;

export async function domainsCard(studio: StudioRef, role: StudioRole): Promise<HTMLElement> {
  const base = `/api/studios/${studio.id}/domains`;
  const owner = role === "owner";
  const card = h("section", { class: "card domains", "aria-label": "Custom domain" });
  const said = h("p", { class: "muted", role: "status" });
  const say = (text: string, error = false) => {
    said.className = error ? "error" : "muted";
    said.textContent = text;
  };
  const res = await api<DomainsResponse>("GET", base);
  if (!res.ok) {
    card.append(h("h3", {}, "Custom domain"), h("p", { class: "error" }, errorOf(res)));
    return card;
  }
  const list = h("div", {});

  const row = (d: DomainView): HTMLElement => {
    const item = h("div", { class: `domain domain-${d.state}` });
    const draw = (v: DomainView) => {
      item.className = `domain domain-${v.state}`;
      const actions = owner
        ? h(
            "p",
            {},
            h(
              "button",
              {
                type: "button",
                onclick: async () => {
                  const r = await api<DomainResponse>("POST", `${base}/${v.hostname}/refresh`);
                  if (r.ok) draw(r.data.domain);
                  else say(errorOf(r), true);
                },
              },
              "Check now",
            ),
            " ",
            h(
              "button",
              {
                type: "button",
                class: "link",
                onclick: async () => {
                  if (!confirm(`Remove ${v.hostname}? Your website stops answering there; your Loupe address keeps working.`)) return;
                  const r = await api<unknown>("DELETE", `${base}/${v.hostname}`);
                  if (r.ok) {
                    item.remove();
                    say(`${v.hostname} removed.`);
                  } else say(errorOf(r), true);
                },
              },
              "Remove",
            ),
          )
        : "";
      item.replaceChildren(
        h(
          "h4",
          {},
          h("a", { href: `https://${v.hostname}/`, target: "_blank", rel: "noopener" }, v.hostname),
          " ",
          h("span", { class: `badge ${v.state}` }, v.state),
        ),
        h("p", {}, STATE_TEXT[v.state], h("small", { class: "muted" }, ` (hostname ${v.status}, certificate ${v.sslStatus})`)),
        ...v.problems.map((p) => h("p", { class: v.state === "failed" ? "error" : "muted" }, p)),
        v.state === "serving"
          ? ""
          : h(
              "table",
              { class: "dns" },
              h("thead", {}, h("tr", {}, h("th", {}, "Type"), h("th", {}, "Name"), h("th", {}, "Value"), h("th", {}, "Why"))),
              h(
                "tbody",
                {},
                ...v.records.map((r) =>
                  h("tr", {}, h("td", {}, r.type), h("td", {}, h("code", {}, r.name)), h("td", {}, h("code", {}, r.value)), h("td", {}, r.purpose)),
                ),
              ),
            ),
        v.checkedAt ? h("p", { class: "muted" }, `Last checked ${new Date(v.checkedAt).toLocaleString()}. Loupe checks again every ten minutes.`) : "",
        actions,
      );
    };
    draw(d);
    return item;
  };

  list.replaceChildren(...res.data.domains.map(row));
  const hostname = h("input", { name: "hostname", placeholder: "photos.yourstudio.com", required: true, maxlength: "253", "aria-label": "Domain" });
  const form = h(
    "form",
    {
      class: "inline",
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const r = await api<DomainResponse>("POST", base, { hostname: hostname.value });
        if (!r.ok) return say(errorOf(r), true);
        list.append(row(r.data.domain));
        hostname.value = "";
        say(`Added ${r.data.domain.hostname}: add its CNAME record at your DNS provider.`);
      },
    },
    hostname,
    h("button", { type: "submit" }, "Add domain"),
  );
  card.append(
    h("h3", {}, "Custom domain"),
    h("p", { class: "muted" }, `Serve your website and galleries at your own address, with a certificate Loupe looks after. Up to ${res.data.limit} domains.`),
    list,
    !res.data.available
      ? h("p", { class: "muted" }, "Custom domains are not set up on this Loupe deployment.")
      : owner
        ? form
        : h("p", { class: "muted" }, "Only the studio's owners add or remove domains."),
    said,
  );
  return card;
}
