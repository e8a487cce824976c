// The photographer's dashboard on the app host: sign in or create a studio, then galleries —
// create, upload, watch proofing live, export selections, answer comments, change settings.
import type { MeResponse, Ok, SecondFactorNeeded, SignupResponse, StudioRef, StudioRole } from "../../worker/contract/studios";
import { h } from "../lib/dom";
import { renderAccount } from "./account";
import { renderAlerts, watchUnread } from "./alerts";
import { api, errorOf } from "./api";
import { renderGalleries } from "./galleries";
import { renderGallery } from "./gallery";
import { renderGalleryDefaults } from "./gallery-defaults";
import { renderMessages } from "./messages";
import { renderStore } from "./store/index";
import { renderTeam } from "./team";
import { renderWebsite } from "./website";

const form = document.getElementById("signin") as HTMLFormElement;
const out = document.getElementById("signin-result")!;
const app = h("section", { class: "dash", "aria-live": "polite" });
document.querySelector("main.auth")!.after(app);
let studio: StudioRef | null = null;
let role: StudioRole = "staff";

/** Until the address is confirmed, the studio is told what waits and can ask for the link again. */
function confirmBanner(me: MeResponse): HTMLElement | string {
  // What waits is the studio's: only its owners are asked.
  if (me.emailVerified || !me.studios.some((s) => s.role === "owner")) return "";
  const said = h("span", { role: "status" });
  return h(
    "div",
    { class: "notice", id: "confirm-email" },
    h("p", {}, `Confirm your email: open the link Loupe sent to ${me.account.email}. Until then mail to your clients waits and payments are off.`),
    h(
      "button",
      {
        type: "button",
        onclick: async () => {
          const res = await api<{ sentTo: string | null }>("POST", "/api/me/verification");
          said.textContent = res.ok
            ? res.data.sentTo
              ? ` A new link is on its way to ${res.data.sentTo}.`
              : " Your address is already confirmed."
            : ` ${errorOf(res)}`;
        },
      },
      "Send the link again",
    ),
    said,
  );
}

function signedIn(me: MeResponse): void {
  const root = location.host.replace(/^app\./, "");
  document.getElementById("forgot-link")?.remove();
  form.replaceChildren(
    h("p", {}, `Signed in as ${me.account.name} (${me.account.email}). `, h("a", { href: "#/account" }, "Your account")),
    confirmBanner(me),
    h(
      "ul",
      {},
      ...me.studios.map((s) => h("li", {}, h("a", { href: `${location.protocol}//${s.tenant.slug}.${root}/` }, `${s.tenant.slug}.${root}`), ` — ${s.role}`)),
    ),
    h(
      "button",
      {
        type: "button",
        onclick: async () => {
          await api<Ok>("POST", "/api/auth/logout");
          location.hash = "";
          location.reload();
        },
      },
      "Sign out",
    ),
  );
  document.getElementById("signup")?.remove();
  document.body.classList.add("signed-in");
  studio = me.studios[0]?.tenant ?? null;
  role = me.studios[0]?.role ?? "staff";
  if (studio) {
    const badge = h("a", { href: "#/alerts", id: "alerts-link", class: "alerts-link" }, "Alerts");
    form.querySelector("p")?.append(" · ", badge);
    watchUnread(studio, badge);
  }
  route();
}

/**
 * Each screen renders into its own fresh element: a screen still loading when the photographer
 * moves on finishes into a detached node instead of covering the screen they went to.
 */
function route(): void {
  const view = h("div", { class: "view" });
  app.replaceChildren(view);
  if (location.hash === "#/account") return void renderAccount(view);
  if (!studio) return void view.replaceChildren(h("p", { class: "muted" }, "You are not a member of any studio yet."));
  const m = /^#\/g\/([\w-]+)(?:\/(\w+))?/.exec(location.hash);
  const store = /^#\/store(?:\/(\w+))?/.exec(location.hash);
  if (m) void renderGallery(view, studio, m[1]!, m[2] ?? "photos");
  else if (store) void renderStore(view, studio, store[1] ?? "orders");
  else if (location.hash === "#/messages") void renderMessages(view, studio);
  else if (location.hash === "#/team") void renderTeam(view, studio, role);
  else if (location.hash === "#/alerts") void renderAlerts(view, studio, role);
  else if (location.hash === "#/website") void renderWebsite(view, studio, role);
  else if (location.hash === "#/gallery-defaults") void renderGalleryDefaults(view, studio, role);
  else void renderGalleries(view, studio);
}
window.addEventListener("hashchange", route);

async function me(): Promise<boolean> {
  const res = await api<MeResponse>("GET", "/api/me");
  if (res.ok) signedIn(res.data);
  return res.ok;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const button = form.querySelector("button")!;
  button.disabled = true;
  out.className = "muted";
  out.textContent = "Signing in…";
  const res = await api<MeResponse | SecondFactorNeeded>("POST", "/api/auth/login", Object.fromEntries(new FormData(form)));
  button.disabled = false;
  if (!res.ok) {
    out.className = "error";
    out.textContent = errorOf(res);
    return;
  }
  if ("secondFactor" in res.data) return askSecondFactor(res.data.challenge);
  await me();
});

/** The password was right and the account has two-factor sign-in: the code (or a recovery code) next. */
function askSecondFactor(challenge: string): void {
  const said = h("p", { class: "muted", role: "status" });
  let recovery = false;
  const field = h("input", { name: "code", inputmode: "numeric", autocomplete: "one-time-code", required: true, autofocus: true });
  const label = h("label", {}, "Code from your authenticator app", field);
  const step = h(
    "form",
    {
      class: "card",
      id: "second-factor",
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const body = recovery ? { challenge, recoveryCode: field.value } : { challenge, code: field.value };
        const res = await api<MeResponse>("POST", "/api/auth/login/second-factor", body);
        if (res.ok) return void location.reload();
        said.className = "error";
        said.textContent = errorOf(res);
      },
    },
    label,
    h("button", { type: "submit" }, "Sign in"),
    h(
      "button",
      {
        type: "button",
        class: "link",
        onclick: () => {
          recovery = !recovery;
          label.firstChild!.textContent = recovery ? "One of your recovery codes" : "Code from your authenticator app";
          field.removeAttribute("inputmode");
        },
      },
      "Use a recovery code instead",
    ),
    // The challenge lasts five minutes: past that, or signed in as the wrong person, start again.
    h("p", {}, h("a", { href: "/" }, "Start over with your email and password")),
    said,
  );
  form.replaceWith(step);
  document.getElementById("signup")?.remove();
  document.getElementById("forgot-link")?.remove();
  field.focus();
}

// New here: a studio in one form. The slug becomes the studio's address.
function signUpCard(): HTMLElement {
  const result = h("p", { class: "muted", role: "status" });
  const field = (label: string, name: string, type = "text", extra: Record<string, string | boolean> = {}) =>
    h("label", {}, label, h("input", { name, type, required: true, ...extra }));
  const card = h(
    "form",
    {
      class: "card signup",
      id: "signup",
      onsubmit: async (e) => {
        e.preventDefault();
        const res = await api<SignupResponse>("POST", "/api/auth/signup", Object.fromEntries(new FormData(card)));
        if (!res.ok) {
          result.className = "error";
          result.textContent = errorOf(res);
          return;
        }
        card.remove();
        await me();
      },
    },
    h("h2", {}, "New to Loupe? Create your studio"),
    field("Studio name", "studioName"),
    field("Web address (your-studio)", "slug", "text", { pattern: "[a-z0-9-]{3,40}" }),
    field("Your name", "name", "text", { autocomplete: "name" }),
    field("Email", "email", "email", { autocomplete: "email" }),
    field("Password (at least 10 characters)", "password", "password", { autocomplete: "new-password", minlength: "10" }),
    h("button", { type: "submit" }, "Create studio"),
    result,
  );
  return card;
}

if (!(await me())) form.after(signUpCard());
