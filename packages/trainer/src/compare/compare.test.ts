import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureStream as capture, saveTinyModel, TINY_ROLLOUT_FLAGS } from "../../test/cli-fixtures";
import { readMetrics } from "../report";
import { runCli } from "../run-cli";

const root = await mkdtemp(join(tmpdir(), "cppo-compare-"));
const modelDir = join(root, "model");
const out = join(root, "compare");
afterAll(() => rm(root, { recursive: true, force: true }));

beforeAll(() => saveTinyModel(modelDir, 5));

const tinyComparison = [
  "compare",
  "--out",
  out,
  "--arms",
  "grpo,cppo",
  "--seeds",
  "0",
  "--workers",
  "2",
  "--backend",
  "cpu",
  "--checkpoint",
  modelDir,
  "--steps",
  "2",
  "--eval.every",
  "1",
  "--eval.k",
  "2",
  "--eval.detectorProblems",
  "2",
  ...TINY_ROLLOUT_FLAGS,
  "--data.trainSize",
  "8",
  "--data.testSize",
  "3",
];

describe("cppo compare", () => {
  it("trains every arm in child processes, then tabulates what their run folders hold", async () => {
    const stdout = capture();
    const stderr = capture();
    const code = await runCli(tinyComparison, { stdout: stdout.stream, stderr: stderr.stream });
    expect(code, stderr.text()).toBe(0);

    const runs = ["grpo-s0", "cppo-s0"].map((name) => join(out, "runs", name));
    const after = await Promise.all(
      runs.map(async (dir) => JSON.parse(await readFile(join(dir, "eval-after.json"), "utf8")).accuracyAtK),
    );
    // evaluations at steps 0 (before), 1 (eval.every) and 2 (after)
    const evals = await readMetrics(join(runs[1] as string, "evals.jsonl"));
    expect(evals.map((e) => e.step)).toEqual([0, 1, 2]);
    expect(evals[2]?.accuracy_at_k).toBe(after[1]);
    // the detector is measured on the CPPO arm only, at every evaluation
    const detector = await readMetrics(join(runs[1] as string, "detector.jsonl"));
    expect(detector.map((d) => d.step)).toEqual([0, 1, 2]);
    await expect(readFile(join(runs[0] as string, "detector.jsonl"))).rejects.toThrow();

    const pct = (v: number) => (100 * v).toFixed(1);
    const markdown = stdout.text();
    expect(markdown).toContain(`| GRPO | 1 |`);
    expect(markdown.split("\n").find((l) => l.startsWith("| CPPO |"))).toContain(
      `| ${pct(after[1])} ± 0.0 |`,
    );
    expect(markdown).toContain("Perception-token detector during CPPO training");
    expect(await readFile(join(out, "results.md"), "utf8")).toBe(markdown);

    // The same command again finds every run finished and only rewrites the report.
    const again = capture();
    expect(await runCli(tinyComparison, { stdout: capture().stream, stderr: again.stream })).toBe(0);
    expect(again.text()).toMatch(/grpo-s0 skipped/);
    expect(again.text()).toMatch(/cppo-s0 skipped/);
  }, 180_000);

  it("rejects an unknown arm before training anything", async () => {
    const stderr = capture();
    const code = await runCli(["compare", "--out", join(root, "bad"), "--arms", "grpo,dapo"], {
      stdout: capture().stream,
      stderr: stderr.stream,
    });
    expect(code).toBe(1);
    expect(stderr.text()).toMatch(/unknown arm "dapo"; known arms: grpo, papo, cppo/);
  });
});
