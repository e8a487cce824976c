// The images queue, as domain code sees it. Messages carry ids only (a message is at most
// 128 KB); the consumer works out from D1 what a photo still needs.
import { z } from "zod";

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
    for (let i = 0; i < photoIds.length; i += 100) {
      const batch = photoIds.slice(i, i + 100).map((photoId) => ({ body: { kind: "photo", tenantId: this.tenantId, photoId } satisfies PhotoJob }));
      await this.queue.sendBatch(batch);
    }
  }
}
