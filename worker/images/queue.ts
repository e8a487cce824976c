// The images queue consumer. Each message is acked or retried on its own, so one bad photo
// never holds back or fails the rest of its batch.

import { isPermanent } from "./failures";
import { photoJobSchema } from "./jobs";
import { markFailed, processPhoto } from "./pipeline";

// wrangler.toml: max_retries = 5, so a message is delivered at most 6 times.
export const MAX_ATTEMPTS = 6;

export function backoffSeconds(attempt: number): number {
  return Math.min(600, 5 * 2 ** (attempt - 1));
}

/**
 * The dead-letter queue: jobs whose every delivery ended without an answer, which is what a worker
 * killed mid-job (out of memory, out of time) looks like. They end as failed with a reason, never
 * "processing" for ever.
 */
export async function handleDeadImageJobs(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    const parsed = photoJobSchema.safeParse(message.body);
    if (parsed.success) {
      const reason = `The image worker stopped on this photo ${MAX_ATTEMPTS} times without finishing; the file may be damaged or too large to process. Upload it again, or export it as a smaller JPEG.`;
      console.error(JSON.stringify({ level: "error", msg: "photo job dead-lettered", photoId: parsed.data.photoId }));
      await markFailed(env, parsed.data, reason);
    }
    message.ack();
  }
}

export async function handleImageBatch(batch: MessageBatch<unknown>, env: Env, _ctx?: ExecutionContext): Promise<void> {
  if (batch.queue.endsWith("-dlq")) return handleDeadImageJobs(batch, env);
  for (const message of batch.messages) {
    const parsed = photoJobSchema.safeParse(message.body);
    if (!parsed.success) {
      // Malformed messages can never succeed; retrying them only delays the queue.
      console.error(JSON.stringify({ level: "error", msg: "dropping malformed image message", id: message.id }));
      message.ack();
      continue;
    }
    const job = parsed.data;
    try {
      const outcome = await processPhoto(env, job);
      console.log(JSON.stringify({ level: "info", msg: "photo job", photoId: job.photoId, outcome, attempt: message.attempts }));
      message.ack();
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      if (isPermanent(err) || message.attempts >= MAX_ATTEMPTS) {
        const why = isPermanent(err) ? reason : `Processing failed after ${message.attempts} attempts: ${reason}`;
        console.error(JSON.stringify({ level: "error", msg: "photo failed", photoId: job.photoId, reason: why }));
        await markFailed(env, job, why);
        message.ack();
      } else {
        console.warn(JSON.stringify({ level: "warn", msg: "photo job will retry", photoId: job.photoId, attempt: message.attempts, reason }));
        message.retry({ delaySeconds: backoffSeconds(message.attempts) });
      }
    }
  }
}
