// Allowed: the db layer opens D1.
import { drizzle } from "drizzle-orm/d1";
export const allowed = drizzle;
