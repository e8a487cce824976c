// The images queue, as domain code sees it. Messages carry ids only (a message is at most
// 128 KB); the consumer works out from D1 what a photo still needs.
import { z } from "zod";
import { sendAll } from "../lib/queues";

export const photoJobSchema = z.object({
  kind: z.literal("photo"),
  tenantId: z.string().min(1),
  photoId: z.string().min(1),
});
export type PhotoJob = z.infer<typeof photoJobSchema>;

export class ImageJobs {
  constructor(
    private readonly queue: Queue,
    private readonly tenantId: string,
  ) {}

  async enqueue(photoIds: string[]): Promise<void> {
    await sendAll(
      this.queue,
      photoIds.map((photoId) => ({ kind: "photo", tenantId: this.tenantId, photoId }) satisfies PhotoJob),
    );
  }
}
