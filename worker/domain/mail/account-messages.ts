// What Loupe writes to a photographer about their own account.
import type { AccountMail } from "./account-mail";
import { LOUPE_BRAND, type MailBody, mailHtml, mailText } from "./html";

const both = (body: MailBody) => ({ text: mailText(body), html: mailHtml(LOUPE_BRAND, body) });

export function passwordResetMail(account: { id: string; email: string; name: string }, link: string, key: string): AccountMail {
  const body: MailBody = {
    heading: "Choose a new password",
    paragraphs: [`Hello ${account.name},`, "Someone (we hope you) asked to reset the password of your Loupe account. The link works once, for an hour."],
    action: { label: "Choose a new password", url: link },
    footer: "If you did not ask for this, ignore this mail: your password stays as it is.",
  };
  return { key: `reset:${key}`, accountId: account.id, kind: "password_reset", to: account.email, subject: "Reset your Loupe password", ...both(body) };
}

export function verifyEmailMail(account: { id: string; name: string }, to: string, link: string, key: string, change: boolean): AccountMail {
  const body: MailBody = {
    heading: change ? "Confirm your new email address" : "Confirm your email address",
    paragraphs: [
      `Hello ${account.name},`,
      change
        ? `Confirm that ${to} is yours and it becomes the address you sign in with. Until then your old address stays.`
        : "Confirm this address to let Loupe mail your clients, take payments and connect your own domain. The link works for three days.",
    ],
    action: { label: "Confirm my address", url: link },
    footer: "If you did not sign up for Loupe, ignore this mail.",
  };
  return {
    key: `verify:${key}`,
    accountId: account.id,
    kind: "verify_email",
    to,
    subject: change ? "Confirm your new Loupe email address" : "Confirm your email for Loupe",
    ...both(body),
  };
}

/** To the address an account just left: a change the owner did not make must not go unnoticed. */
export function emailChangedMail(account: { id: string; name: string }, from: string, to: string, at: number): AccountMail {
  const body: MailBody = {
    heading: "Your Loupe sign-in address changed",
    paragraphs: [
      `Hello ${account.name},`,
      `The address you sign in to Loupe with is now ${to}; mail about your account goes there from now on.`,
      "If you did not make this change, reply to this mail at once: someone may have your password.",
    ],
  };
  return {
    key: `email-changed:${account.id}:${at}`,
    accountId: account.id,
    kind: "email_changed",
    to: from,
    subject: "Your Loupe sign-in address changed",
    ...both(body),
  };
}

export function teamInviteMail(invite: { id: string; email: string; role: "owner" | "staff" }, studio: string, inviter: string, link: string): AccountMail {
  const body: MailBody = {
    heading: `Join ${studio} on Loupe`,
    paragraphs: [
      `${inviter} invites you to work in ${studio} on Loupe as ${invite.role === "owner" ? "an owner" : "staff"}.`,
      invite.role === "owner"
        ? "Owners run the whole studio: galleries, the store, payments, the team and the website."
        : "Staff work on galleries and orders; refunds, payouts, the plan, the team and the domain stay with the owners.",
      "The link works for seven days.",
    ],
    action: { label: `Join ${studio}`, url: link },
    footer: "If you did not expect this, ignore this mail: nothing happens until the link is opened.",
  };
  return {
    key: `invite:${invite.id}`,
    accountId: null,
    kind: "team_invite",
    to: invite.email,
    subject: `${inviter} invites you to ${studio} on Loupe`,
    ...both(body),
  };
}
