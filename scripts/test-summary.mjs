// Adds up the vitest JSON reports of every workspace package into one closing line for CI logs.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const roots = ["packages", "examples"].filter((dir) => existsSync(dir));
let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
for (const root of roots) {
  for (const name of readdirSync(root)) {
    const report = join(root, name, "test-report.json");
    if (!existsSync(join(root, name, "package.json"))) continue;
    if (!existsSync(report)) {
      missing.push(`${root}/${name}`);
      continue;
    }
    const result = JSON.parse(readFileSync(report, "utf8"));
    passed += result.numPassedTests;
    failed += result.numFailedTests;
    skipped += result.numPendingTests + result.numTodoTests;
  }
}
if (missing.length > 0) console.log(`no test report from: ${missing.join(", ")}`);
console.log(`Tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
