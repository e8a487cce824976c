// The import-boundary test (tests/architecture): plain Node, run by `npm run lint`.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/architecture/**/*.test.ts"],
    environment: "node",
  },
});
