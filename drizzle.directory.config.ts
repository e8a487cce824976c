import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: "./worker/db/directory-schema.ts",
  out: "./migrations/directory",
});
