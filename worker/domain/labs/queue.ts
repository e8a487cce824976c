// The lab queue's consumer: each message sends one paid order's prints to the lab. A lab that is
// down or slow is tried again with backoff (30 s doubling to an hour, about three hours over ten attempts); a refusal stops
// at once and waits for the studio, with the lab's reasons on the order.
import { z } from "zod";
import { tenantDbById } from "../../db/shards";
import { dashboardOrigin } from "../../lib/origins";
import { cancelRefunded } from "./cancel";
import { submitLabOrder } from "./submit";

export const LAB_ATTEMPTS = 10;
const jobSchema = z.object({
  tenantId: z.string().min(1),
  orderId: z.string().min(1),
  generation: z.number().int().min(0),
  action: z.literal("cancel").optional(),
});

export const labBackoffSeconds = (attempt: number) => Math.min(30 * 2 ** (attempt - 1), 3600);

export async function handleLabBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    const job = jobSchema.safeParse(message.body);
    if (!job.success) {
      console.error(JSON.stringify({ level: "error", msg: "dropping malformed lab message", id: message.id }));
      message.ack();
      continue;
    }
    try {
      const tdb = await tenantDbById(env, job.data.tenantId);
      if (!tdb) {
        message.ack();
        continue;
      }
      const deps = { tdb, pepper: env.PASSWORD_PEPPER, labApiUrl: env.PRODIGI_API_URL, secret: env.JWT_SECRET, appOrigin: dashboardOrigin(env) };
      if (job.data.action === "cancel") {
        // A lab that is down throws, and the message comes back after the catch below.
        await cancelRefunded(deps, job.data.orderId);
        message.ack();
        continue;
      }
      const outcome = await submitLabOrder(deps, job.data, message.attempts >= LAB_ATTEMPTS);
      if (typeof outcome === "object") message.retry({ delaySeconds: labBackoffSeconds(message.attempts) });
      else message.ack();
    } catch (err) {
      // D1 failed under us: the row is as it was; the message comes back.
      console.warn(JSON.stringify({ level: "warn", msg: "lab submission will retry", orderId: job.data.orderId, error: String(err) }));
      message.retry({ delaySeconds: labBackoffSeconds(message.attempts) });
    }
  }
}
