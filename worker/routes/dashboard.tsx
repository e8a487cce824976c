// Pages of the dashboard host that are not API: the sign-in page the dashboard app mounts on, and
// the pages mailed account links open (they only look the link up; the form acts on it).
import { Hono } from "hono";
import { z } from "zod";
import { type LinkPurpose, peekLink } from "../domain/accounts/links";
import { invitePreview } from "../domain/studios/team";
import type { AppEnv } from "../http/context";
import { authRateLimit } from "../http/rate-limit";
import { AppError } from "../lib/errors";
import { DeadLinkPage, ForgotPage, InvitePage, ResetPage, VerifyPage } from "../pages/account";
import { DashboardHome } from "../pages/dashboard";

export const dashboardPages = new Hono<AppEnv>();
// Each link page looks a token up in the directory: strangers get the same per-IP budget as sign-in.
for (const page of ["/reset", "/verify", "/invite"]) dashboardPages.use(page, authRateLimit);

dashboardPages.get("/", (c) => c.html(<DashboardHome />));
dashboardPages.get("/forgot", (c) => c.html(<ForgotPage />));

const linkQuery = z.object({ token: z.string().min(20).max(100) });
const RETRY = {
  reset: { href: "/forgot", label: "Ask for a new reset link" },
  verify: { href: "/", label: "Sign in to send a new confirmation link" },
} as const;

/** The link's account and address, or null after answering with a page that says why not. */
async function openLink(purpose: LinkPurpose, token: string | undefined, dir: Parameters<typeof peekLink>[0]) {
  const parsed = linkQuery.safeParse({ token });
  if (!parsed.success) return null;
  try {
    return { token: parsed.data.token, ...(await peekLink(dir, parsed.data.token, purpose)) };
  } catch (err) {
    if (err instanceof AppError && err.code === "link_invalid") return null;
    throw err;
  }
}

const dead = (purpose: LinkPurpose) => (
  <DeadLinkPage
    message={`This ${purpose === "reset" ? "password reset" : "confirmation"} link has expired, was already used, or is not one Loupe sent. Nothing was changed.`}
    retry={RETRY[purpose]}
  />
);

dashboardPages.get("/reset", async (c) => {
  const link = await openLink("reset", c.req.query("token"), c.get("directory"));
  return link ? c.html(<ResetPage token={link.token} />) : c.html(dead("reset"), 410);
});

dashboardPages.get("/invite", async (c) => {
  const parsed = linkQuery.safeParse({ token: c.req.query("token") });
  const invite = parsed.success ? await invitePreview(c.env, c.get("directory"), parsed.data.token) : null;
  if (!invite || !parsed.success) {
    return c.html(
      <DeadLinkPage
        message="This invite link was used, revoked or has expired. Nothing was changed; ask the studio for a new one."
        retry={{ href: "/", label: "Go to Loupe" }}
      />,
      410,
    );
  }
  return c.html(<InvitePage token={parsed.data.token} {...invite} />);
});

dashboardPages.get("/verify", async (c) => {
  const link = await openLink("verify", c.req.query("token"), c.get("directory"));
  return link?.email ? c.html(<VerifyPage token={link.token} email={link.email} />) : c.html(dead("verify"), 410);
});
