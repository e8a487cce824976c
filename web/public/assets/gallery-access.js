// The password form of a private gallery: earns the visitor cookie, then shows the gallery.
const form = document.getElementById("gallery-access");
const out = document.getElementById("access-result");

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const fields = Object.fromEntries(new FormData(form));
  if (!fields.name) delete fields.name;
  const res = await fetch(`/g/${form.dataset.gallery}/access`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(fields),
  });
  if (res.ok) return location.reload();
  const body = await res.json().catch(() => ({}));
  out.className = "error";
  out.textContent = res.status === 401 ? "That is not the gallery's password." : (body.error?.message ?? "Something went wrong.");
});
