// Breaks lib-at-the-bottom.
import { a } from "../domain/uses-http";
export const j = a;
