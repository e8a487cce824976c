import { applyD1Migrations, env } from "cloudflare:test";

await applyD1Migrations(env.DIRECTORY, env.TEST_DIRECTORY_MIGRATIONS);
await Promise.all([applyD1Migrations(env.TENANT_DB_0, env.TEST_TENANT_MIGRATIONS), applyD1Migrations(env.TENANT_DB_1, env.TEST_TENANT_MIGRATIONS)]);
