// bench:rooms settings: the env knobs documented at the top of rooms.bench.mjs, and the fixed limits.
export const CLIENTS = Number(process.env.ROOMS_CLIENTS ?? 100);
export const ROUNDS = Number(process.env.ROOMS_ROUNDS ?? 300);
export const WARMUP = Number(process.env.ROOMS_WARMUP ?? 30);
export const IDLE_ROOMS = Number(process.env.ROOMS_IDLE_ROOMS ?? 1000);
export const PER_ROOM = 10;
export const ONLY = process.env.ROOMS_ONLY ?? "both";
// Idle sockets go straight to the workerd that runs Loupe unless this is set (see rooms.bench.mjs).
export const IDLE_VIA_PROXY = process.env.ROOMS_IDLE_VIA_PROXY === "1";
export const RUN_LOUPE = ONLY !== "reference";
export const RUN_REFERENCE = ONLY !== "loupe";

export const ROUND_TIMEOUT_MS = 10_000; // a round whose change has not reached everyone by then is counted lost
export const MAX_TIMEOUTS = 10; // rounds allowed to time out before the scenario gives up
export const CONNECT_TIMEOUT_MS = 30_000;
export const SETTLE_MS = 3_000; // after the last idle client synced, before the RSS reading
export const LATER_MS = 30_000; // a second RSS reading, to show whether idle rooms shrink (hibernation)
export const FD_MARGIN = 300; // open files left free in every server process when sizing the idle run
export const MiB = 1024 * 1024;
