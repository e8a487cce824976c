// Accounts, studios, their people and messages as the API shows them. Types only.
import type { Page } from "./paging";

export type StudioRole = "owner" | "staff";

/** A studio as routing knows it: its id, its address and the shard that holds its data. */
export interface StudioRef {
  id: string;
  slug: string;
  shard: number;
}

export interface Membership {
  tenant: StudioRef;
  role: StudioRole;
}

export interface AccountView {
  id: string;
  email: string;
  name: string;
}

/** The signed-in photographer and the studios they belong to (also the sign-in answer). */
export interface MeResponse {
  account: AccountView;
  /** False until the address was confirmed through the link mailed to it. */
  emailVerified: boolean;
  studios: Membership[];
}

/** The sign-in answer when the account has two-factor sign-in: send the code with the challenge. */
export interface SecondFactorNeeded {
  secondFactor: true;
  challenge: string;
}

export interface SignupResponse {
  account: AccountView;
  studio: StudioRef & { name: string; role: "owner" };
}

export interface StudioProfile {
  name: string;
  tagline: string;
  about: string;
  /** Public, on the website; empty until the studio sets it. */
  contactEmail: string;
  /** Private: where Loupe mails the studio (the owner's sign-up email at first). */
  notifyEmail: string;
  accentColor: string;
  /** At /brand/<file> on the studio's host; null until the studio uploads one. */
  logoFile: string | null;
  coverFile: string | null;
  updatedAt: number;
}

export interface StudioResponse {
  studio: StudioRef & { role: StudioRole; profile: StudioProfile };
}
export interface ProfileResponse {
  profile: StudioProfile;
}

export interface MemberView {
  accountId: string;
  name: string;
  email: string;
  role: StudioRole;
  since: number;
}
export type MembersResponse = Page<"members", MemberView>;

export interface StaffInviteView {
  id: string | null;
  email: string;
  role: StudioRole;
  expiresAt: number;
  invitedBy: string;
}
export type StaffInvitesResponse = Page<"invites", StaffInviteView>;
/** A new invite: its token and link are shown this once. */
export interface NewStaffInviteResponse {
  invite: { id: string; token: string; email: string; role: StudioRole; expiresAt: number; url: string };
}
export interface JoinedResponse {
  account: AccountView;
  tenantId: string;
  role: StudioRole;
}

export interface MessageView {
  id: string;
  name: string;
  email: string;
  message: string;
  createdAt: number;
  readAt: number | null;
}
export type MessagesResponse = Page<"messages", MessageView> & {
  /** Unread messages, counted up to 100 (show "99+" beyond). */
  unread: number;
};

export interface Ok {
  ok: true;
}
