// Tests that run inside workerd against real local D1, R2, Queues and Durable Objects.
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

export default defineConfig(async () => {
  const directoryMigrations = await readD1Migrations(path.join(__dirname, "migrations/directory"));
  const tenantMigrations = await readD1Migrations(path.join(__dirname, "migrations/tenant"));
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: {
            JWT_SECRET: "test-jwt-secret-0123456789abcdef0123456789abcdef",
            PASSWORD_PEPPER: "test-pepper-0123456789abcdef",
            TEST_DIRECTORY_MIGRATIONS: directoryMigrations,
            TEST_TENANT_MIGRATIONS: tenantMigrations,
          },
          // A real database with no migrations applied, for the readiness test.
          d1Databases: { TEST_UNMIGRATED_D1: "test-unmigrated" },
        },
      }),
    ],
    test: {
      include: ["tests/**/*.test.ts"],
      exclude: ["tests/e2e/**", "tests/bench/**"],
      setupFiles: ["./tests/setup/apply-migrations.ts"],
      // The worker logs one JSON line per request; in tests that drowns the report.
      onConsoleLog: (log: string) => !log.includes('"msg":"request"'),
    },
  };
});
