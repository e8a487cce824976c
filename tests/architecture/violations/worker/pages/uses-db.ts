// Breaks pages-through-domain.
import { allowed } from "../db/allowed";
export const l = allowed;
