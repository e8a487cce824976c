// Allowed: shared types.
import type { Shared } from "../worker/contract/shared";
export type AllowedParty = Shared;
