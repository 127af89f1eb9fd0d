import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/setup/build-core.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
