import { k1 } from "./cycle-a";
export const k2 = () => k1;
