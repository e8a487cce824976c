// The door of a private gallery, or of one that asks for a name and email: earns the visitor
// cookie, then shows the gallery.
const form = document.getElementById("gallery-access");
const out = document.getElementById("access-result");

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const fields = Object.fromEntries(new FormData(form));
  for (const k of ["name", "email"]) if (!fields[k]) delete fields[k];
  const res = await fetch(`/g/${form.dataset.gallery}/access`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(fields),
  });
  if (res.ok) return location.reload();
  const body = await res.json().catch(() => ({}));
  out.className = "error";
  out.textContent = body.error?.code === "password_required" ? "That is not the gallery's password." : (body.error?.message ?? "Something went wrong.");
});
