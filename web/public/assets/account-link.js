// The forms of the account pages (forgot password, new password, confirm address): sends the form
// as JSON to the address in data-action, with the link's token from data-token, and says plainly
// what happened. On success the form is replaced by the message and a way on.
const form = document.querySelector("form[data-action]");
const out = form?.querySelector("[role=status]");

form?.addEventListener("submit", async (event) => {
  event.preventDefault();
  const button = form.querySelector("button");
  button.disabled = true;
  const body = Object.fromEntries(new FormData(form));
  if (form.dataset.token) body.token = form.dataset.token;
  const res = await fetch(form.dataset.action, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }).catch(
    () => null,
  );
  button.disabled = false;
  const answer = res ? await res.json().catch(() => ({})) : {};
  if (res?.ok && form.dataset.next) return location.assign(form.dataset.next);
  if (res?.ok) {
    const done = document.createElement("div");
    done.className = "card";
    done.innerHTML = '<p></p><p><a href="/">Sign in to Loupe</a></p>';
    done.querySelector("p").textContent = form.dataset.done;
    form.replaceWith(done);
    return;
  }
  out.className = "error";
  out.textContent = answer.error?.message ?? "That did not work; please try again.";
});
