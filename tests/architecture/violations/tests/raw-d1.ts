// Breaks d1-only-in-db.
import { drizzle } from "drizzle-orm/d1";
export const g = drizzle;
