// The dashboard entry page: sign in, see your studios, sign out. The full dashboard replaces this.
const form = document.getElementById("signin");
const out = document.getElementById("signin-result");
const rootHost = location.host.replace(/^app\./, "");

async function api(method, path, body) {
  const res = await fetch(path, {
    method,
    headers: body ? { "content-type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
    credentials: "same-origin",
  });
  const data = res.status === 204 ? {} : await res.json().catch(() => ({}));
  return { ok: res.ok, status: res.status, data };
}

function showSignedIn({ account, studios }) {
  form.replaceChildren();
  const hello = document.createElement("p");
  hello.textContent = `Signed in as ${account.name} (${account.email}).`;
  const list = document.createElement("ul");
  for (const s of studios) {
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = `${location.protocol}//${s.tenant.slug}.${rootHost}/`;
    a.textContent = `${s.tenant.slug}.${rootHost}`;
    li.append(a, ` — ${s.role}`);
    list.append(li);
  }
  const out = document.createElement("button");
  out.type = "button";
  out.textContent = "Sign out";
  out.onclick = async () => {
    await api("POST", "/api/auth/logout");
    location.reload();
  };
  form.append(hello, list, out);
}

async function restore() {
  let me = await api("GET", "/api/me");
  if (me.status === 401 && (await api("POST", "/api/auth/refresh")).ok) me = await api("GET", "/api/me");
  if (me.ok) showSignedIn(me.data);
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const button = form.querySelector("button");
  button.disabled = true;
  out.className = "muted";
  out.textContent = "Signing in…";
  const fields = Object.fromEntries(new FormData(form));
  const res = await api("POST", "/api/auth/login", fields);
  button.disabled = false;
  if (!res.ok) {
    out.className = "error";
    out.textContent = res.data.error?.message ?? `Sign-in failed (${res.status}).`;
    return;
  }
  const me = await api("GET", "/api/me");
  if (me.ok) showSignedIn(me.data);
});

restore();
