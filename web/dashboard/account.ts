// The photographer's own account: the sign-in address, the password, two-factor sign-in with an
// authenticator app, and where they are signed in. Each form says what happened in place.
import type { RecoveryCodes, SecurityView, SessionView, TwoFactorSetup } from "../../worker/contract/account";
import { h } from "../lib/dom";
import { api, errorOf } from "./api";
import { pagedList } from "./paging";

type Said = HTMLElement;
const status = (): Said => h("p", { class: "muted", role: "status" });
const say = (el: Said, text: string, error = false) => {
  el.className = error ? "error" : "muted";
  el.textContent = text;
};

/** A small form posting its fields as JSON; `done` says what happened when it worked. */
function jsonForm(title: string, path: string, fields: HTMLElement[], submit: string, done: (data: never) => string): HTMLElement {
  const said = status();
  const form = h(
    "form",
    {
      class: "card account-form",
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const res = await api<never>("POST", path, Object.fromEntries(new FormData(form)));
        if (res.ok) {
          form.reset();
          say(said, done(res.data));
        } else say(said, errorOf(res), true);
      },
    },
    h("h3", {}, title),
    ...fields,
    h("button", { type: "submit" }, submit),
    said,
  );
  return form;
}

const input = (label: string, name: string, type: string, extra: Record<string, string> = {}) =>
  h("label", {}, label, h("input", { name, type, required: true, ...extra }));

function twoFactorCard(security: SecurityView, refresh: () => void): HTMLElement {
  const said = status();
  const card = h("section", { class: "card account-form", id: "two-factor" }, h("h3", {}, "Two-factor sign-in"));
  if (security.twoFactor.enabled) {
    card.append(
      h("p", {}, `On. Signing in asks for a code from your authenticator app. ${security.twoFactor.recoveryCodesLeft} recovery codes left.`),
      jsonForm(
        "Turn it off",
        "/api/me/two-factor/disable",
        [input("Your password", "password", "password", { autocomplete: "current-password" })],
        "Turn off",
        () => {
          setTimeout(refresh, 800);
          return "Two-factor sign-in is off.";
        },
      ),
    );
    return card;
  }
  const off = h("p", {}, "Off. With it on, a stolen password alone cannot sign in to your studio.");
  const start = h(
    "button",
    {
      type: "button",
      onclick: async () => {
        const res = await api<TwoFactorSetup>("POST", "/api/me/two-factor/setup");
        if (!res.ok) return say(said, errorOf(res), true);
        start.remove();
        const code = h("input", { name: "code", inputmode: "numeric", autocomplete: "one-time-code", pattern: "[0-9]{6}", required: true });
        const password = h("input", { name: "password", type: "password", autocomplete: "current-password", required: true });
        const confirm = h(
          "form",
          {
            onsubmit: async (e: Event) => {
              e.preventDefault();
              const on = await api<RecoveryCodes>("POST", "/api/me/two-factor/enable", { code: code.value, password: password.value });
              if (!on.ok) return say(said, errorOf(on), true);
              off.remove();
              confirm.replaceWith(
                h(
                  "p",
                  {},
                  "Two-factor sign-in is on. Keep these recovery codes somewhere safe: each signs you in once if your phone is lost. They are not shown again.",
                ),
                h("ol", { class: "recovery-codes" }, ...on.data.recoveryCodes.map((c) => h("li", {}, h("code", {}, c)))),
              );
              say(said, "");
            },
          },
          h("p", {}, "Add this key to your authenticator app (or open the link on your phone), then enter the 6-digit code it shows."),
          h("p", {}, h("code", { class: "secret" }, res.data.secret.replace(/(.{4})/g, "$1 ").trim())),
          h("p", {}, h("a", { href: res.data.uri }, "Open in an authenticator app")),
          h("label", {}, "Code from the app", code),
          h("label", {}, "Your password", password),
          h("button", { type: "submit" }, "Turn on"),
        );
        card.insertBefore(confirm, said);
      },
    },
    "Set up an authenticator app",
  );
  card.append(off, start, said);
  return card;
}

/** "Chrome on macOS" from a user agent: enough to tell one's own devices apart. */
function deviceName(ua: string | null): string {
  if (!ua) return "Unknown browser";
  const browser = /Edg\//.test(ua)
    ? "Edge"
    : /Firefox\//.test(ua)
      ? "Firefox"
      : /Chrome\/|CriOS/.test(ua)
        ? "Chrome"
        : /Safari\//.test(ua)
          ? "Safari"
          : "A browser";
  const os = /iPhone|iPad/.test(ua)
    ? "iOS"
    : /Android/.test(ua)
      ? "Android"
      : /Mac OS X/.test(ua)
        ? "macOS"
        : /Windows/.test(ua)
          ? "Windows"
          : /Linux/.test(ua)
            ? "Linux"
            : "";
  return os ? `${browser} on ${os}` : browser;
}

function sessionItem(s: SessionView): HTMLElement {
  const item = h(
    "li",
    {},
    h("strong", {}, s.current ? `This browser (${deviceName(s.userAgent)})` : deviceName(s.userAgent)),
    h("span", { class: "muted" }, ` · signed in ${new Date(s.signedInAt).toLocaleString()} · last active ${new Date(s.lastActiveAt).toLocaleString()}`),
  );
  if (!s.current) {
    item.append(
      " ",
      h(
        "button",
        {
          type: "button",
          class: "link",
          onclick: async () => {
            const res = await api<unknown>("DELETE", `/api/me/sessions/${s.id}`);
            if (res.ok) item.remove();
          },
        },
        "Sign out",
      ),
    );
  }
  return item;
}

export async function renderAccount(app: HTMLElement): Promise<void> {
  const res = await api<SecurityView>("GET", "/api/me/security");
  if (!res.ok) return void app.replaceChildren(h("p", { class: "error" }, errorOf(res)));
  const security = res.data;
  const sessions = pagedList<"sessions", SessionView>({
    path: "/api/me/sessions",
    key: "sessions",
    className: "sessions",
    render: sessionItem,
    empty: "No other sign-ins.",
  });
  const endOthers = status();
  app.replaceChildren(
    h("p", {}, h("a", { href: "#/" }, "← All galleries")),
    h("h2", {}, "Your account"),
    h(
      "div",
      { class: "account-grid" },
      jsonForm(
        `Sign-in address: ${security.email}${security.emailVerified ? "" : " (not confirmed yet)"}`,
        "/api/me/email",
        [
          input("New address", "email", "email", { autocomplete: "email" }),
          input("Your password", "password", "password", { autocomplete: "current-password" }),
        ],
        "Change address",
        (d: { pendingEmail: string }) => `We sent a link to ${d.pendingEmail}. Your address changes once you open it.`,
      ),
      jsonForm(
        "Password",
        "/api/me/password",
        [
          input("Current password", "current", "password", { autocomplete: "current-password" }),
          input("New password (at least 10 characters)", "password", "password", { autocomplete: "new-password", minlength: "10" }),
        ],
        "Change password",
        () => "Your password is changed; every other browser was signed out.",
      ),
      twoFactorCard(security, () => void renderAccount(app)),
      h(
        "section",
        { class: "card account-form" },
        h("h3", {}, "Where you are signed in"),
        sessions.element,
        h(
          "button",
          {
            type: "button",
            onclick: async () => {
              const out = await api<{ ended: number }>("POST", "/api/me/sessions/end-others");
              if (out.ok) void renderAccount(app);
              else say(endOthers, errorOf(out), true);
            },
          },
          "Sign out everywhere else",
        ),
        endOthers,
      ),
    ),
  );
  await sessions.start();
}
