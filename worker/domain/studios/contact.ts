// The contact form on a studio's website: a message is stored on the studio's shard and read in
// the dashboard. A hidden field catches form-filling bots; people never see it.

import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import type { MessagesResponse } from "../../contract/studios";
import { statementsInChunks } from "../../db/chunks";
import { keyset, type PageQuery, pageOf, pageQuery, pageSize } from "../../db/paging";
import type { TenantDb } from "../../db/tenant-db";
import { contactMessages } from "../../db/tenant-schema";
import { newId } from "../../lib/bytes";
import { AppError } from "../../lib/errors";
import { emailSchema } from "../accounts/schemas";
import { alertStatements } from "../alerts/alerts";
import { countAttempt } from "../limits/attempts";
import { commitWithMail } from "../mail/outbox";

export const contactSchema = z
  .object({
    name: z.string({ required_error: "is required" }).trim().min(1, "is required").max(100, "must be at most 100 characters"),
    email: emailSchema,
    message: z.string({ required_error: "is required" }).trim().min(1, "is required").max(4000, "must be at most 4000 characters"),
    website: z.string().max(200).optional(),
  })
  .strict();

export async function receiveContact(tdb: TenantDb, input: z.infer<typeof contactSchema>, dashboard?: string): Promise<{ ok: true }> {
  // A bot filled the hidden field: answer as if it worked, keep nothing.
  if (input.website) return { ok: true };
  await countAttempt(tdb, "contact", "site");
  const id = newId("msg");
  const alert = {
    key: `msg:${id}`,
    kind: "contact_message" as const,
    title: `New message from ${input.name}`,
    body: `${input.name} (${input.email}) wrote through your website: "${input.message.slice(0, 300)}${input.message.length > 300 ? "…" : ""}"`,
    link: "#/messages",
  };
  await commitWithMail(tdb, [
    tdb.insert(contactMessages, { id, name: input.name, email: input.email, message: input.message, createdAt: Date.now() }),
    ...((await alertStatements(tdb, alert, { dashboard })) as never[]),
  ]);
  return { ok: true };
}

export const messageListQuery = pageQuery.strict();

/** Counting stops here: the dashboard shows "99+", and the count stays as cheap as one page. */
export const UNREAD_COUNT_CAP = 100;

/** One page of messages, newest first, and how many are unread (up to UNREAD_COUNT_CAP). */
export async function listMessages(tdb: TenantDb, query: PageQuery): Promise<MessagesResponse> {
  const { after, orderBy } = keyset([contactMessages.createdAt, contactMessages.id], "desc", query.cursor);
  const [rows, unread] = await Promise.all([
    tdb
      .select(contactMessages, after)
      .orderBy(...orderBy)
      .limit(pageSize(query)),
    tdb.select(contactMessages, isNull(contactMessages.readAt)).limit(UNREAD_COUNT_CAP),
  ]);
  const page = pageOf(
    rows,
    query,
    (m) => [m.createdAt, m.id],
    ({ tenantId: _t, ...m }) => m,
  );
  return { messages: page.items, next: page.next, unread: unread.length };
}

export const markReadSchema = z
  .object({ ids: z.array(z.string().min(1).max(64)).min(1, "must list at least one message").max(200, "at most 200 messages") })
  .strict();

/** Marks the listed messages read; ids that are not this studio's messages change nothing. */
export async function markManyRead(tdb: TenantDb, ids: string[]): Promise<void> {
  const now = Date.now();
  const statements = statementsInChunks(contactMessages.id, ids, (inChunk) =>
    tdb.update(contactMessages, { readAt: now }, and(inChunk, isNull(contactMessages.readAt))),
  );
  if (statements.length) await tdb.batch(statements as [(typeof statements)[number], ...typeof statements]);
}

export async function markRead(tdb: TenantDb, id: string): Promise<void> {
  const row = await tdb.first(contactMessages, eq(contactMessages.id, id));
  if (!row) throw new AppError("not_found", "No such message.");
  if (row.readAt === null) await tdb.update(contactMessages, { readAt: Date.now() }, eq(contactMessages.id, id));
}
