// What the account page reads: the photographer's own sign-in settings and sessions.
import type { Page } from "./paging";

export interface SessionView {
  id: string;
  userAgent: string | null;
  signedInAt: number;
  lastActiveAt: number;
  /** The session this request came from. */
  current: boolean;
}
export type SessionsResponse = Page<"sessions", SessionView>;

export interface SecurityView {
  email: string;
  emailVerified: boolean;
  twoFactor: { enabled: boolean; recoveryCodesLeft: number };
}

/** A new authenticator secret, to be confirmed with its first code. */
export interface TwoFactorSetup {
  secret: string;
  uri: string;
}

/** Shown once, when two-factor sign-in is turned on. */
export interface RecoveryCodes {
  recoveryCodes: string[];
}
