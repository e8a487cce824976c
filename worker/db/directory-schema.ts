// The directory: the one database every request consults to find a studio and its shard.
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

const createdAt = () => integer("created_at", { mode: "number" }).notNull().default(sql`(unixepoch() * 1000)`);

export const tenants = sqliteTable(
  "tenants",
  {
    id: text("id").primaryKey(),
    slug: text("slug").notNull(),
    plan: text("plan", { enum: ["free", "pro", "studio"] })
      .notNull()
      .default("free"),
    shard: integer("shard").notNull(),
    // Null: the plan's quota. Counts originals, masters and derivatives.
    storageQuotaBytes: integer("storage_quota_bytes"),
    // Extra storage bought as subscription add-ons, on top of the plan's quota.
    storageAddonBytes: integer("storage_addon_bytes").notNull().default(0),
    // Stripe Connect (the studio's own account, where its clients pay) and Stripe Billing (the
    // studio's subscription to Loupe, on the platform account). Kept here because webhooks name
    // an account or a customer, not a studio, and must find the studio's shard from it.
    stripeAccountId: text("stripe_account_id"),
    stripeChargesEnabled: integer("stripe_charges_enabled", { mode: "boolean" }).notNull().default(false),
    stripeDetailsSubmitted: integer("stripe_details_submitted", { mode: "boolean" }).notNull().default(false),
    stripeCustomerId: text("stripe_customer_id"),
    stripeSubscriptionId: text("stripe_subscription_id"),
    subscriptionStatus: text("subscription_status"),
    // Stripe's `created` time of the last subscription event applied: older ones arriving late are ignored.
    subscriptionEventAt: integer("subscription_event_at").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("tenants_slug_uq").on(t.slug),
    index("tenants_shard_idx").on(t.shard),
    uniqueIndex("tenants_stripe_account_uq").on(t.stripeAccountId),
    uniqueIndex("tenants_stripe_customer_uq").on(t.stripeCustomerId),
  ],
);

// Stripe events already handled, by id: a redelivered event is answered and ignored.
export const stripeEvents = sqliteTable("stripe_events", {
  id: text("id").primaryKey(),
  type: text("type").notNull(),
  tenantId: text("tenant_id"),
  receivedAt: createdAt(),
});

export const domains = sqliteTable(
  "domains",
  {
    hostname: text("hostname").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    // The custom hostname at Cloudflare for SaaS; null for rows made before domains were added
    // from the dashboard (those were set up by hand and serve as they did).
    cfId: text("cf_id"),
    // Cloudflare's two verifications, as it reports them: the hostname's and its certificate's.
    status: text("status").notNull().default("active"),
    sslStatus: text("ssl_status").notNull().default("active"),
    // 1 only when both are active: only then does the host serve the studio.
    serving: integer("serving", { mode: "boolean" }).notNull().default(true),
    // JSON: the DNS records the studio must add, and Cloudflare's last verification errors.
    records: text("records").notNull().default("[]"),
    problems: text("problems").notNull().default("[]"),
    checkedAt: integer("checked_at"),
    createdAt: createdAt(),
  },
  (t) => [index("domains_tenant_idx").on(t.tenantId), index("domains_pending_idx").on(t.serving, t.checkedAt)],
);

export const accounts = sqliteTable(
  "accounts",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    // "pbkdf2-sha256$<iterations>$<salt b64url>$<hash b64url>": parameters travel with the hash.
    passwordHash: text("password_hash").notNull(),
    // Null until the owner of the address opened the link mailed to it (or a reset link: same proof).
    emailVerifiedAt: integer("email_verified_at"),
    // Two-factor sign-in (accounts/totp.ts): the TOTP secret, sealed with a server key; the one being
    // set up until its first code is given; the last time step used, so no code works twice.
    totpSecret: text("totp_secret"),
    totpPending: text("totp_pending"),
    totpEnabledAt: integer("totp_enabled_at"),
    totpLastStep: integer("totp_last_step").notNull().default(0),
    platformAdmin: integer("platform_admin", { mode: "boolean" }).notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("accounts_email_uq").on(t.email)],
);

/**
 * Failed sign-ins per account and per who tried: a network ("ip:…"), a browser that signed in
 * before ("device:…"), or all unknown browsers together ("untrusted"). A stranger can lock out only
 * what they are: their own network, and at worst other unknown browsers, never the owner's own.
 */
export const loginLocks = sqliteTable(
  "login_locks",
  {
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    subject: text("subject").notNull(),
    failures: integer("failures").notNull().default(0),
    lockedUntil: integer("locked_until"),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.subject] }), index("login_locks_updated_idx").on(t.updatedAt)],
);

export const memberships = sqliteTable(
  "memberships",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    role: text("role", { enum: ["owner", "staff"] }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.accountId] }),
    index("memberships_account_idx").on(t.accountId),
    index("memberships_page_idx").on(t.tenantId, t.createdAt, t.accountId),
  ],
);

// A session is one refresh-token family: every rotation stays in it, and reuse revokes it whole.
export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    userAgent: text("user_agent"),
    revokedAt: integer("revoked_at"),
    revokedReason: text("revoked_reason"),
    createdAt: createdAt(),
  },
  (t) => [index("sessions_account_idx").on(t.accountId)],
);

export const refreshTokens = sqliteTable(
  "refresh_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    sessionId: text("session_id")
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
    createdAt: createdAt(),
  },
  (t) => [index("refresh_tokens_session_idx").on(t.sessionId)],
);

export const invites = sqliteTable(
  "invites",
  {
    tokenHash: text("token_hash").primaryKey(),
    // The id owners see and revoke by; the token itself is only ever shown once.
    id: text("id"),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    role: text("role", { enum: ["owner", "staff"] }).notNull(),
    invitedBy: text("invited_by").notNull(),
    expiresAt: integer("expires_at").notNull(),
    acceptedAt: integer("accepted_at"),
    createdAt: createdAt(),
  },
  (t) => [index("invites_page_idx").on(t.tenantId, t.createdAt, t.id), uniqueIndex("invites_id_uq").on(t.id)],
);

/**
 * Single-use links mailed to an account: a password reset, or the proof that an address is the
 * account's (at sign-up, or a new address before it takes effect). Stored only as the SHA-256.
 */
export const accountTokens = sqliteTable(
  "account_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    purpose: text("purpose", { enum: ["reset", "verify"] }).notNull(),
    // The address a verify link proves: the account's own, or the one it is changing to.
    email: text("email"),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
    createdAt: createdAt(),
  },
  (t) => [index("account_tokens_account_idx").on(t.accountId, t.purpose, t.createdAt), index("account_tokens_expiry_idx").on(t.expiresAt)],
);

/** Mail to a photographer's account rather than from a studio: resets and verifications. */
export const accountMail = sqliteTable(
  "account_mail",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").references(() => accounts.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ["password_reset", "verify_email", "team_invite", "email_changed"] }).notNull(),
    to: text("to").notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    html: text("html"),
    status: text("status", { enum: ["queued", "sent", "failed"] })
      .notNull()
      .default("queued"),
    attempts: integer("attempts").notNull().default(0),
    leasedUntil: integer("leased_until"),
    lastError: text("last_error"),
    createdAt: integer("created_at").notNull(),
    sentAt: integer("sent_at"),
  },
  (t) => [index("account_mail_pending_idx").on(t.status, t.createdAt)],
);

/** One-time codes that stand in for the second factor when the phone is lost; only hashes kept. */
export const recoveryCodes = sqliteTable(
  "recovery_codes",
  {
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    usedAt: integer("used_at"),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.codeHash] })],
);
