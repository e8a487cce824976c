// Breaks party-without-worker.
import { a } from "../worker/domain/uses-http";
export const d = a;
