// Bindings that exist only in the test configuration (vitest.config.ts).
import type { D1Migration } from "cloudflare:test";

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_DIRECTORY_MIGRATIONS: D1Migration[];
      TEST_TENANT_MIGRATIONS: D1Migration[];
      TEST_UNMIGRATED_D1: D1Database;
      TEST_FIXTURES: Record<string, string>;
    }
  }
}
