// The signed-in photographer as the dashboard shows them.

import { eq } from "drizzle-orm";
import type { MeResponse } from "../../contract/studios";
import type { DirectoryDb } from "../../db/directory-db";
import { accounts } from "../../db/directory-schema";
import { AppError } from "../../lib/errors";
import { membershipsOf } from "../studios/directory";

export async function accountOverview(dir: DirectoryDb, accountId: string): Promise<MeResponse> {
  const [account, studios] = await Promise.all([
    dir
      .select({ id: accounts.id, email: accounts.email, name: accounts.name, verifiedAt: accounts.emailVerifiedAt })
      .from(accounts)
      .where(eq(accounts.id, accountId))
      .get(),
    membershipsOf(dir, accountId),
  ]);
  if (!account) throw new AppError("unauthenticated", "This account no longer exists; sign in again.");
  const { verifiedAt, ...view } = account;
  return { account: view, emailVerified: verifiedAt !== null, studios };
}
