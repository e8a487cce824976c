// The mailbox previews each kind of mail as it would go out now: the real builders, the studio's
// name, colour and logo, and replies to its public contact address.
import { describe, expect, it } from "vitest";
import type { MailPreviewsResponse } from "../../worker/contract/store";
import { emailKinds } from "../../worker/contract/store";
import { fixture, rawPut } from "../helpers/galleries";
import { call, json, signUp } from "../helpers/http";

describe("mail previews", () => {
  it("shows every kind of mail in the studio's branding, with its reply address", async () => {
    const o = await signUp("preview-studio", { name: "Saltmarsh Studio" });
    const studio = `/api/studios/${o.studio.id}`;
    const plain = await json<MailPreviewsResponse>(await call("GET", `${studio}/store/mail/previews`, { jar: o.jar }));
    expect(plain.previews.map((p) => p.kind).sort()).toEqual([...emailKinds].sort());
    // No public contact address yet: replies are not sent to the studio's private login address.
    expect(plain.previews.every((p) => p.replyTo === null)).toBe(true);

    await call("PATCH", studio, { jar: o.jar, body: { accentColor: "#8a3ffc", contactEmail: "hello@saltmarsh.example" } });
    const logo = await json(await rawPut(o, `${studio}/brand/logo`, fixture("logo.png"), "image/png"));
    const { previews } = await json<MailPreviewsResponse>(await call("GET", `${studio}/store/mail/previews`, { jar: o.jar }));
    for (const p of previews) {
      expect(p.html, p.kind).toContain("#8a3ffc");
      expect(p.html, p.kind).toContain("Saltmarsh Studio");
      expect(p.text, p.kind).not.toMatch(/<[a-z]/i);
    }
    const invite = previews.find((p) => p.kind === "gallery_invite")!;
    expect(invite.subject).toBe("Saltmarsh Studio: your photos from Rivera & Cole — Wedding");
    expect(invite.replyTo).toBe("hello@saltmarsh.example");
    expect(invite.html).toContain(`/api/studios/${o.studio.id}/brand/logo?v=${logo.profile.logoFile}`);
    // An order's lines stay one to a line in HTML, as in the text.
    const order = previews.find((p) => p.kind === "order_confirmation")!;
    expect(order.text).toContain("2 × Lustre print 8×10 — $30.00\n  1 × Original file — $25.00");
    expect(order.html).toContain("2 × Lustre print 8×10 — $30.00<br>  1 × Original file — $25.00");
    // Mail to the studio itself is not answered to the studio.
    expect(previews.find((p) => p.kind === "studio_alert")!.replyTo).toBeNull();
    expect(previews.find((p) => p.kind === "payment_failed")!.replyTo).toBe("hello@saltmarsh.example");
    // A preview sends nothing and writes nothing to the mailbox.
    expect((await json(await call("GET", `${studio}/store/mail`, { jar: o.jar }))).mail).toEqual([]);
  });
});
