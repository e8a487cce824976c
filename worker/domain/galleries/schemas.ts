// What the dashboard may send to create or change a gallery.
import { z } from "zod";
import { downloadAudiences, downloadModes } from "../../contract/galleries";
import { timestamp } from "../../lib/timestamp";
import { selectionSchema, watermarkSchema } from "./settings";

const downloadsInput = z
  .object({
    mode: z.enum(downloadModes),
    pin: z
      .string()
      .regex(/^\d{4,8}$/, "must be 4 to 8 digits")
      .nullable(),
    who: z.enum(downloadAudiences),
    limit: z.number().int("must be a whole number").min(1, "must be at least 1").max(100_000, "must be at most 100000").nullable(),
  })
  .partial()
  .strict();

const base = {
  title: z.string().trim().min(1, "is required").max(120, "must be at most 120 characters"),
  description: z.string().trim().max(2000, "must be at most 2000 characters"),
  clientName: z.string().trim().max(120, "must be at most 120 characters"),
  clientEmail: z.union([z.literal(""), z.string().trim().toLowerCase().email("must be an email address").max(254, "must be at most 254 characters")]),
  visibility: z.enum(["public", "unlisted", "password"]),
  requireEmail: z.boolean(),
  showExif: z.boolean(),
  password: z.string().min(4, "must be at least 4 characters").max(100, "must be at most 100 characters").nullable(),
  expiresAt: timestamp.nullable(),
  downloads: downloadsInput,
  watermark: watermarkSchema.partial(),
  selection: selectionSchema.partial(),
};

export const createGallerySchema = z
  .object({
    ...base,
    sets: z.array(z.string().trim().min(1, "is required").max(80, "must be at most 80 characters")).max(50, "at most 50 sets").optional(),
  })
  .partial({
    description: true,
    clientName: true,
    clientEmail: true,
    visibility: true,
    requireEmail: true,
    showExif: true,
    password: true,
    expiresAt: true,
    downloads: true,
    watermark: true,
    selection: true,
  })
  .strict()
  .superRefine((g, ctx) => {
    if (g.visibility === "password" && !g.password) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["password"], message: "is required when visibility is password" });
    }
  });
export type CreateGalleryInput = z.infer<typeof createGallerySchema>;

export const updateGallerySchema = z
  .object({ ...base, coverPhotoId: z.string().min(1).max(64).nullable(), priceSheetId: z.string().min(1).max(64).nullable() })
  .partial()
  .strict();
export type UpdateGalleryInput = z.infer<typeof updateGallerySchema>;

export const setInputSchema = z.object({ name: z.string().trim().min(1, "is required").max(80, "must be at most 80 characters") }).strict();
export const setPatchSchema = z.object({ name: setInputSchema.shape.name, position: z.number().finite() }).partial().strict();

export const reorderSchema = z
  .object({ photoIds: z.array(z.string().min(1).max(64)).min(1, "must list at least one photo").max(5000, "at most 5000 photos") })
  .strict();
