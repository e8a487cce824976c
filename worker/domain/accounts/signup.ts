// Studio sign-up: a tenant on the least-loaded shard, its profile there, and its owner.

import { eq } from "drizzle-orm";
import type { SignupResponse } from "../../contract/studios";
import type { DirectoryDb } from "../../db/directory-db";
import { accounts, memberships, tenants } from "../../db/directory-schema";
import { pickShard, tenantDb } from "../../db/shards";
import type { TenantRef } from "../../db/tenant-db";
import { studioProfiles } from "../../db/tenant-schema";
import { newId } from "../../lib/bytes";
import { AppError } from "../../lib/errors";
import { hashPassword } from "./password";
import type { SignupInput } from "./schemas";
import { sendVerification } from "./verification";

function isUniqueViolation(err: unknown, column: string): boolean {
  const text = String(err instanceof Error ? `${err.message} ${String(err.cause ?? "")}` : err);
  return text.includes("UNIQUE constraint failed") && text.includes(column);
}

async function ensureFree(dir: DirectoryDb, input: SignupInput): Promise<void> {
  const [slugRow, emailRow] = await Promise.all([
    dir.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, input.slug)).get(),
    dir.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, input.email)).get(),
  ]);
  if (slugRow) throw new AppError("slug_taken", `The address "${input.slug}" is taken by another studio; choose another slug.`);
  if (emailRow) throw new AppError("email_taken", `An account with ${input.email} already exists; sign in instead.`);
}

/** The studio works at once; a link to confirm the owner's address is mailed (verification.ts). */
export async function signUp(env: Env, dir: DirectoryDb, input: SignupInput, dashboard: string): Promise<SignupResponse> {
  await ensureFree(dir, input);
  const tenant: TenantRef = { id: newId("t"), slug: input.slug, shard: await pickShard(env, dir) };
  const account = { id: newId("a"), email: input.email, name: input.name };
  const passwordHash = await hashPassword(input.password, env.PASSWORD_PEPPER);

  // The shard row goes first: if the directory write then fails, the orphan profile is unreachable
  // (nothing points at its tenant id), whereas the reverse would publish a studio with no profile.
  await tenantDb(env, tenant).insert(studioProfiles, { name: input.studioName, notifyEmail: input.email });
  try {
    await dir.batch([
      dir.insert(tenants).values({ id: tenant.id, slug: tenant.slug, shard: tenant.shard }),
      dir.insert(accounts).values({ ...account, passwordHash }),
      dir.insert(memberships).values({ tenantId: tenant.id, accountId: account.id, role: "owner" }),
    ]);
  } catch (err) {
    await tenantDb(env, tenant).delete(studioProfiles);
    // A concurrent sign-up won the race between ensureFree and the batch.
    if (isUniqueViolation(err, "tenants.slug"))
      throw new AppError("slug_taken", `The address "${input.slug}" is taken by another studio; choose another slug.`);
    if (isUniqueViolation(err, "accounts.email")) throw new AppError("email_taken", `An account with ${input.email} already exists; sign in instead.`);
    throw err;
  }
  await sendVerification(env, dir, account, account.email, dashboard, false);
  return { account, studio: { ...tenant, name: input.studioName, role: "owner" } };
}
