// A moment a person sets (a gallery's expiry, a discount's dates, a selection's due date): epoch
// milliseconds or an ISO date-time, within years a studio plans for. Anything else, 1e300 or the
// year 275760, is no date a Date, a mail or a receipt can show.
import { z } from "zod";

export const EARLIEST_MS = Date.UTC(2000, 0, 1);
export const LATEST_MS = Date.UTC(2200, 0, 1);

export const epochMs = z.number().int().min(EARLIEST_MS, "must be a date in 2000 or later").max(LATEST_MS, "must be a date before 2200");

export const timestamp = z
  .union([z.number(), z.string().datetime({ offset: true, message: "must be an ISO date-time" })])
  .transform((v) => (typeof v === "number" ? v : Date.parse(v)))
  .pipe(epochMs);
