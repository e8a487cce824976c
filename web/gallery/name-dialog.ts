// The first visit's question: who is choosing. The name goes with the visitor's cookie and shows
// next to their favourites and comments; once given, the room is joined.
import type { ApiErrorBody } from "../../worker/contract/errors";
import { h, toast } from "../lib/dom";

export function askName(galleryId: string, joined: () => void): void {
  const input = h("input", { name: "name", required: true, maxlength: 100, autocomplete: "name", placeholder: "Your name" });
  const dialog = h(
    "dialog",
    { class: "name-dialog" },
    h(
      "form",
      {
        method: "dialog",
        onsubmit: async (e) => {
          e.preventDefault();
          const res = await fetch(`/g/${galleryId}/access`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ name: input.value }),
          });
          // The answer when it works (AccessGranted) carries nothing the page needs; the visitor cookie is set.
          if (!res.ok) {
            const err: Partial<ApiErrorBody> | null = await res.json().catch(() => null);
            toast(err?.error?.message ?? "That did not work.", "error");
            return;
          }
          dialog.close();
          dialog.remove();
          joined();
        },
      },
      h("h2", {}, "Who's choosing?"),
      h("p", {}, "Your name shows next to your favourites and comments."),
      input,
      h("button", { type: "submit", class: "primary" }, "Start choosing"),
    ),
  );
  document.body.append(dialog);
  dialog.showModal();
}
