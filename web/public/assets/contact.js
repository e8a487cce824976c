// The studio website's contact form: sends the message and says plainly whether it arrived.
const form = document.getElementById("contact");
const out = document.getElementById("contact-result");

form?.addEventListener("submit", async (event) => {
  event.preventDefault();
  const button = form.querySelector("button");
  button.disabled = true;
  const res = await fetch("/contact", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(Object.fromEntries(new FormData(form))),
  }).catch(() => null);
  button.disabled = false;
  if (res?.ok) {
    form.reset();
    out.className = "muted";
    out.textContent = "Thank you — your message is on its way to the studio.";
    return;
  }
  const body = res ? await res.json().catch(() => ({})) : {};
  out.className = "error";
  out.textContent = body.error?.message ?? "The message could not be sent; please try again.";
});
