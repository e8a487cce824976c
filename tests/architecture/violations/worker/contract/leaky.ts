// Breaks contract-stands-alone.
import { handler } from "../http/handler";
export const e = handler;
