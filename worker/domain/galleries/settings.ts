// A gallery's rules as the photographer sets them: who can see it, what can be downloaded, how
// previews are watermarked and how clients select. Stored as JSON columns (their types are in
// contract/galleries.ts), validated here.
import { z } from "zod";
import { type DownloadRules, type SelectionRules, type WatermarkSettings, type WatermarkStyle, watermarkPositions } from "../../contract/galleries";
import { epochMs } from "../../lib/timestamp";

export const watermarkSchema = z
  .object({
    enabled: z.boolean(),
    kind: z.enum(["text", "logo"]),
    text: z.string().trim().max(60, "must be at most 60 characters"),
    position: z.enum(watermarkPositions),
    opacity: z.number().min(0.05, "must be at least 0.05").max(1, "must be at most 1"),
    scale: z.number().min(0.05, "must be at least 0.05").max(1, "must be at most 1"),
    thumbnails: z.boolean().optional(),
  })
  .strict() satisfies z.ZodType<WatermarkStyle>;

export const selectionSchema = z
  .object({
    listsAllowed: z.boolean(),
    minPerList: z.number().int().min(0).max(10_000).nullable(),
    maxPerList: z.number().int().min(1).max(10_000).nullable(),
    dueAt: epochMs.nullable(),
    lockAtDue: z.boolean().optional(),
  })
  .strict() satisfies z.ZodType<SelectionRules>;

export function defaultWatermark(studioName: string): WatermarkSettings {
  return { enabled: true, kind: "text", text: studioName.slice(0, 60), position: "center", opacity: 0.35, scale: 0.4, logoKey: null };
}

export const DEFAULT_SELECTION: SelectionRules = { listsAllowed: true, minPerList: null, maxPerList: null, dueAt: null };
export const DEFAULT_DOWNLOADS: DownloadRules = { mode: "off", pinRequired: false };

export function checkSelection(rules: SelectionRules): string | null {
  if (rules.minPerList !== null && rules.maxPerList !== null && rules.minPerList > rules.maxPerList) {
    return "selection.minPerList: must not exceed selection.maxPerList";
  }
  return null;
}
