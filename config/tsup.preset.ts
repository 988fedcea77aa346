import { defineConfig, type Options } from "tsup";

/** The one build preset every package uses: ESM with declarations, from src/index.ts and any extra entries. */
export function cppoBuild(extraEntries: Record<string, string> = {}) {
  return defineConfig({
    entry: { index: "src/index.ts", ...extraEntries },
    format: ["esm"],
    dts: { entry: { index: "src/index.ts" } },
    sourcemap: true,
    clean: true,
    target: "node20",
    platform: "node",
  } satisfies Options);
}
