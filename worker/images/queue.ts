// The images queue consumer. Messages carry ids only (a message is at most 128 KB). The pipeline
// itself (masters, photon derivatives, EXIF) is the images issue's work; until it lands a
// message is retried and then parked in the dead-letter queue rather than dropped.
import { z } from "zod";

export const imageMessageSchema = z.object({
  kind: z.literal("derive"),
  tenantId: z.string().min(1),
  photoId: z.string().min(1),
});
export type ImageMessage = z.infer<typeof imageMessageSchema>;

export async function handleImageBatch(batch: MessageBatch<unknown>, _env: Env): Promise<void> {
  for (const message of batch.messages) {
    const parsed = imageMessageSchema.safeParse(message.body);
    if (!parsed.success) {
      // Malformed messages can never succeed; retrying them only delays the queue.
      console.error(JSON.stringify({ level: "error", msg: "dropping malformed image message", id: message.id }));
      message.ack();
      continue;
    }
    console.warn(JSON.stringify({ level: "warn", msg: "image pipeline not built yet", photoId: parsed.data.photoId }));
    message.retry({ delaySeconds: 30 });
  }
}
