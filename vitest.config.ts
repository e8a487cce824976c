// Tests that run inside workerd against real local D1, R2, Queues and Durable Objects.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

export default defineConfig(async () => {
  const directoryMigrations = await readD1Migrations(path.join(__dirname, "migrations/directory"));
  const tenantMigrations = await readD1Migrations(path.join(__dirname, "migrations/tenant"));
  // Image fixtures reach the tests in workerd as base64 strings.
  const fixtureDir = path.join(__dirname, "tests/fixtures");
  const fixtures = Object.fromEntries(readdirSync(fixtureDir).map((f) => [f, readFileSync(path.join(fixtureDir, f)).toString("base64")]));
  return {
    plugins: [
      cloudflareTest(({ inject }) => ({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: {
            JWT_SECRET: "test-jwt-secret-0123456789abcdef0123456789abcdef",
            PASSWORD_PEPPER: "test-pepper-0123456789abcdef",
            // Stripe: every outbound call goes to the fake started by tests/setup/global-stripe.ts;
            // webhooks are signed for real with these secrets.
            STRIPE_API_URL: inject("stripeApi"),
            STRIPE_SECRET_KEY: "sk_test_loupe_fake",
            STRIPE_WEBHOOK_SECRET: "whsec_test_platform_0123456789",
            STRIPE_CONNECT_WEBHOOK_SECRET: "whsec_test_connect_0123456789",
            STRIPE_PRICE_PRO: "price_pro_monthly",
            STRIPE_PRICE_STUDIO: "price_studio_monthly",
            STRIPE_PRICE_STORAGE: "price_storage_100gb",
            // Mail: the queue's consumer sends to the fake provider started by tests/setup/global-mail.ts.
            EMAIL_API_URL: `${inject("mailApi")}/emails`,
            EMAIL_API_KEY: "re_test_loupe_fake",
            // Custom domains: Cloudflare for SaaS's custom-hostname API is the fake started by
            // tests/setup/global-cloudflare.ts.
            CF_API_URL: inject("cloudflareApi"),
            CF_ZONE_ID: inject("cloudflareZone"),
            CF_API_TOKEN: inject("cloudflareToken"),
            CUSTOM_DOMAIN_TARGET: "domains.loupe.test",
            // Print labs: Prodigi's API is the fake started by tests/setup/global-prodigi.ts.
            PRODIGI_API_URL: inject("prodigiApi"),
            TEST_DIRECTORY_MIGRATIONS: directoryMigrations,
            TEST_TENANT_MIGRATIONS: tenantMigrations,
            TEST_FIXTURES: fixtures,
          },
          // A real database with no migrations applied, for the readiness test.
          d1Databases: { TEST_UNMIGRATED_D1: "test-unmigrated" },
        },
      })),
    ],
    test: {
      include: ["tests/**/*.test.ts"],
      exclude: ["tests/e2e/**", "tests/bench/**", "tests/architecture/**"],
      setupFiles: ["./tests/setup/apply-migrations.ts"],
      globalSetup: ["./tests/setup/global-stripe.ts", "./tests/setup/global-mail.ts", "./tests/setup/global-cloudflare.ts", "./tests/setup/global-prodigi.ts"],
      // Image tests wait on the real queue and pipeline (their own polls allow 20 s); on a busy
      // 2-core CI machine a test can outlast vitest's 5 s default without anything being wrong.
      testTimeout: 60_000,
      // The worker logs one JSON line per request; in tests that drowns the report.
      onConsoleLog: (log: string) => !log.includes('"msg":"request"'),
    },
  };
});
