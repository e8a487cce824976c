// A mail queue message: which outbox row to send, and where its studio lives. Ids only; the row is
// the record (a queue message is at most 128 KB and may arrive more than once).
import { z } from "zod";

export const mailJobSchema = z.object({ tenantId: z.string().min(1), slug: z.string(), shard: z.number().int().min(0), mailId: z.string().min(1) });
export type MailJob = z.infer<typeof mailJobSchema>;
