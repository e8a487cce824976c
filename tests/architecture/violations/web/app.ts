// Breaks web-only-shared-code.
import { a } from "../worker/domain/uses-http";
export const f = a;
