// A mail queue message: which outbox row to send, and where it lives (a studio's shard, or the
// directory for mail to an account). Ids only; the row is the record (a queue message is at most
// 128 KB and may arrive more than once).
import { z } from "zod";

const studioMail = z.object({ tenantId: z.string().min(1), slug: z.string(), shard: z.number().int().min(0), mailId: z.string().min(1) });
const accountMail = z.object({ account: z.literal(true), mailId: z.string().min(1) });

export const mailJobSchema = z.union([studioMail, accountMail]);
export type MailJob = z.infer<typeof mailJobSchema>;
export type StudioMailJob = z.infer<typeof studioMail>;
