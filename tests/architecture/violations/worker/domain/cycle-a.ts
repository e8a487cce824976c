// Breaks no-cycles, with cycle-b.ts.
import { k2 } from "./cycle-b";
export const k1 = () => k2;
