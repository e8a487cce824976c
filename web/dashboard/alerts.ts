// The notification centre: what the studio was told of, newest first, with the unread count kept
// in the page's header while the dashboard is open, and which alerts also come by mail.
import { ALERT_LABELS, type AlertKind, type AlertMailPrefs, type NotificationsResponse, type NotificationView } from "../../worker/contract/alerts";
import type { StudioRef, StudioRole } from "../../worker/contract/studios";
import { h } from "../lib/dom";
import { api, errorOf } from "./api";
import { pagedList } from "./paging";

const POLL_MS = 20_000;
let polling: ReturnType<typeof setInterval> | undefined;

/** Keeps `badge` showing the unread count, asking every 20 s while the tab is visible. */
export function watchUnread(studio: StudioRef, badge: HTMLElement): void {
  const show = async () => {
    if (document.hidden) return;
    const res = await api<NotificationsResponse>("GET", `/api/studios/${studio.id}/notifications?limit=1`);
    if (!res.ok) return;
    const n = res.data.unread;
    badge.textContent = n ? `Alerts (${n >= 100 ? "99+" : n})` : "Alerts";
    badge.classList.toggle("has-unread", n > 0);
  };
  clearInterval(polling);
  polling = setInterval(show, POLL_MS);
  document.addEventListener("visibilitychange", show);
  void show();
}

const item = (n: NotificationView) =>
  h(
    "li",
    { class: n.readAt ? "" : "unread" },
    h("a", { href: n.link }, h("strong", {}, n.title)),
    h("span", { class: "muted" }, ` · ${new Date(n.createdAt).toLocaleString()}`),
    h("p", {}, n.body),
  );

function mailPrefs(studio: StudioRef, prefs: AlertMailPrefs, owner: boolean): HTMLElement {
  const said = h("span", { class: "muted", role: "status" });
  const boxes = (Object.keys(ALERT_LABELS) as AlertKind[]).map((kind) => {
    const box = h("input", { type: "checkbox", name: kind, checked: prefs[kind], disabled: !owner });
    box.addEventListener("change", async () => {
      const res = await api<AlertMailPrefs>("PUT", `/api/studios/${studio.id}/alert-mail`, { [kind]: box.checked });
      said.textContent = res.ok ? " Saved." : ` ${errorOf(res)}`;
    });
    return h("label", { class: "check" }, box, ` ${ALERT_LABELS[kind]}`);
  });
  return h(
    "section",
    { class: "card alert-prefs" },
    h("h3", {}, "Also by mail"),
    h(
      "p",
      { class: "muted" },
      owner ? "Each of these also comes to the studio's notification address." : "The studio's owners choose which alerts come by mail.",
    ),
    ...boxes,
    said,
  );
}

export async function renderAlerts(app: HTMLElement, studio: StudioRef, role: StudioRole): Promise<void> {
  const base = `/api/studios/${studio.id}/notifications`;
  const list = pagedList<"notifications", NotificationView>({
    path: base,
    key: "notifications",
    className: "messages",
    render: item,
    empty: "Nothing yet. Orders, messages, comments and selections appear here.",
  });
  const prefs = await api<AlertMailPrefs>("GET", `/api/studios/${studio.id}/alert-mail`);
  app.replaceChildren(
    h("p", {}, h("a", { href: "#/" }, "← All galleries")),
    h(
      "div",
      { class: "gallery-head" },
      h("h2", {}, "Alerts"),
      h(
        "button",
        {
          type: "button",
          onclick: async () => {
            await api<unknown>("POST", `${base}/read`, { all: true });
            await list.reload();
            for (const li of list.element.querySelectorAll("li.unread")) li.classList.remove("unread");
          },
        },
        "Mark all read",
      ),
    ),
    list.element,
    prefs.ok ? mailPrefs(studio, prefs.data, role === "owner") : h("p", { class: "error" }, errorOf(prefs)),
  );
  await list.start();
}
