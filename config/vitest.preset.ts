import { defineConfig } from "vitest/config";

const conditions = ["@cppo/source", "import", "module", "node", "default"];

/**
 * Tests run against sibling packages' sources through the `@cppo/source` export condition, so no build is
 * needed first. Packages that touch tensors also get the cpu backend registered before each test file.
 */
export function cppoTest(options: { tfjs?: boolean } = {}) {
  return defineConfig({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: conditions } },
    test: {
      include: ["src/**/*.test.ts", "test/**/*.test.ts"],
      setupFiles: options.tfjs ? [new URL("./tfjs-cpu.setup.ts", import.meta.url).pathname] : [],
      testTimeout: 120_000,
      hookTimeout: 120_000,
      pool: "forks",
      reporters: ["default", "json"],
      outputFile: { json: "test-report.json" },
    },
  });
}
