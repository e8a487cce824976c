// The contact form on a studio's website: a message is stored on the studio's shard and read in
// the dashboard. A hidden field catches form-filling bots; people never see it.

import { desc, eq } from "drizzle-orm";
import { z } from "zod";
import type { MessageView } from "../../contract/studios";
import type { TenantDb } from "../../db/tenant-db";
import { contactMessages } from "../../db/tenant-schema";
import { newId } from "../../lib/bytes";
import { AppError } from "../../lib/errors";
import { emailSchema } from "../accounts/schemas";

export const contactSchema = z
  .object({
    name: z.string({ required_error: "is required" }).trim().min(1, "is required").max(100, "must be at most 100 characters"),
    email: emailSchema,
    message: z.string({ required_error: "is required" }).trim().min(1, "is required").max(4000, "must be at most 4000 characters"),
    website: z.string().max(200).optional(),
  })
  .strict();

export async function receiveContact(tdb: TenantDb, input: z.infer<typeof contactSchema>): Promise<{ ok: true }> {
  // A bot filled the hidden field: answer as if it worked, keep nothing.
  if (input.website) return { ok: true };
  await tdb.insert(contactMessages, { id: newId("msg"), name: input.name, email: input.email, message: input.message, createdAt: Date.now() });
  return { ok: true };
}

export async function listMessages(tdb: TenantDb): Promise<MessageView[]> {
  const rows = await tdb.select(contactMessages).orderBy(desc(contactMessages.createdAt)).limit(200);
  return rows.map(({ tenantId: _t, ...m }) => m);
}

export async function markRead(tdb: TenantDb, id: string): Promise<void> {
  const row = await tdb.first(contactMessages, eq(contactMessages.id, id));
  if (!row) throw new AppError("not_found", "No such message.");
  if (row.readAt === null) await tdb.update(contactMessages, { readAt: Date.now() }, eq(contactMessages.id, id));
}
