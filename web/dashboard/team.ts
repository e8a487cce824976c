// The studio's team: who is in it and as what, invites still open, and an invite form. Owners
// change it; staff see it, and are told what stays with the owners.
import type { MemberView, NewStaffInviteResponse, StaffInviteView, StudioRef, StudioRole } from "../../worker/contract/studios";
import { h } from "../lib/dom";
import { api, errorOf } from "./api";
import { pagedList } from "./paging";

const OWNER_ONLY = "Refunds, payouts, the plan, the team, the website and the domain stay with the owners.";

export async function renderTeam(app: HTMLElement, studio: StudioRef, myRole: StudioRole): Promise<void> {
  const base = `/api/studios/${studio.id}`;
  const owner = myRole === "owner";
  const said = h("p", { class: "muted", role: "status" });
  const say = (text: string, error = false) => {
    said.className = error ? "error" : "muted";
    said.textContent = text;
  };

  const memberItem = (m: MemberView): HTMLElement => {
    const item = h("li", {}, h("strong", {}, m.name), ` · ${m.email} · since ${new Date(m.since).toLocaleDateString()} `);
    if (!owner) {
      item.append(h("span", { class: "role" }, m.role));
      return item;
    }
    const role = h("select", { "aria-label": `Role of ${m.name}` }, h("option", { value: "owner" }, "owner"), h("option", { value: "staff" }, "staff"));
    role.value = m.role;
    role.addEventListener("change", async () => {
      const res = await api<unknown>("PATCH", `${base}/members/${m.accountId}`, { role: role.value });
      if (res.ok) say(`${m.name} is now ${role.value}.`);
      else {
        role.value = m.role;
        say(errorOf(res), true);
      }
    });
    const remove = h(
      "button",
      {
        type: "button",
        class: "link",
        onclick: async () => {
          if (!confirm(`Remove ${m.name} (${m.email}) from the studio? They are signed out of its galleries at once.`)) return;
          const res = await api<unknown>("DELETE", `${base}/members/${m.accountId}`);
          if (res.ok) item.remove();
          else say(errorOf(res), true);
        },
      },
      "Remove",
    );
    item.append(role, " ", remove);
    return item;
  };
  const members = pagedList<"members", MemberView>({ path: `${base}/members`, key: "members", className: "team", render: memberItem, empty: "Nobody yet." });

  const inviteItem = (i: StaffInviteView): HTMLElement => {
    const item = h("li", {}, h("strong", {}, i.email), ` · ${i.role} · until ${new Date(i.expiresAt).toLocaleDateString()} `);
    item.append(
      h(
        "button",
        {
          type: "button",
          class: "link",
          onclick: async () => {
            const res = await api<unknown>("DELETE", `${base}/invites/${i.id}`);
            if (res.ok) item.remove();
            else say(errorOf(res), true);
          },
        },
        "Revoke",
      ),
    );
    return item;
  };
  const invites = owner
    ? pagedList<"invites", StaffInviteView>({ path: `${base}/invites`, key: "invites", className: "team", render: inviteItem, empty: "No open invites." })
    : null;

  const email = h("input", { name: "email", type: "email", required: true, placeholder: "name@example.com" });
  const role = h("select", { name: "role" }, h("option", { value: "staff" }, "staff"), h("option", { value: "owner" }, "owner"));
  const inviteForm = h(
    "form",
    {
      class: "inline-form",
      id: "team-invite",
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const res = await api<NewStaffInviteResponse>("POST", `${base}/invites`, { email: email.value, role: role.value });
        if (!res.ok) return say(errorOf(res), true);
        say(`Invite mailed to ${res.data.invite.email}. The link works for seven days: ${res.data.invite.url}`);
        email.value = "";
        void invites?.reload();
      },
    },
    email,
    role,
    h("button", { type: "submit" }, "Invite"),
  );

  app.replaceChildren(
    h("p", {}, h("a", { href: "#/" }, "← All galleries")),
    h("h2", {}, "Team"),
    owner ? inviteForm : h("p", { class: "muted" }, `You are staff in this studio. ${OWNER_ONLY}`),
    said,
    h("h3", {}, "Members"),
    members.element,
    ...(invites ? [h("h3", {}, "Open invites"), invites.element, h("p", { class: "muted" }, OWNER_ONLY)] : []),
  );
  await Promise.all([members.start(), invites?.start()]);
}
