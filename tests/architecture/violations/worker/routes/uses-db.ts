// Breaks routes-through-domain.
import { allowed } from "../db/allowed";
export const i = allowed;
