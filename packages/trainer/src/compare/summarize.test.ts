import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { armsNamed } from "./arms";
import { summarizeComparison } from "./summarize";
import { writeComparisonReport } from "./write-report";

const root = await mkdtemp(join(tmpdir(), "cppo-summary-"));
afterAll(() => rm(root, { recursive: true, force: true }));

/** A finished run folder with the files a real run writes, holding the given numbers. */
async function fakeRun(
  name: string,
  run: { before: number; after: number; mid: number; stepTimes: number[] },
) {
  const dir = join(root, "runs", name);
  await mkdir(dir, { recursive: true });
  const evaluation = (accuracyAtK: number) =>
    JSON.stringify({ problems: 10, k: 8, accuracyAtK, passAtK: 0.9 });
  await writeFile(join(dir, "eval-before.json"), evaluation(run.before));
  await writeFile(join(dir, "eval-after.json"), evaluation(run.after));
  const line = (record: object) => `${JSON.stringify(record)}\n`;
  await writeFile(
    join(dir, "metrics.jsonl"),
    run.stepTimes.map((t, i) => line({ step: i + 1, step_time: t })).join(""),
  );
  await writeFile(
    join(dir, "evals.jsonl"),
    [0, 1, 2].map((step) => line({ step, accuracy_at_k: [run.before, run.mid, run.after][step] })).join(""),
  );
}

describe("summarizeComparison and writeComparisonReport", () => {
  it("averages over seeds, pairs each seed with GRPO's and reports unfinished runs", async () => {
    await fakeRun("grpo-s0", { before: 0.3, after: 0.4, mid: 0.35, stepTimes: [1, 1, 3] });
    await fakeRun("grpo-s1", { before: 0.3, after: 0.5, mid: 0.4, stepTimes: [1, 1, 1] });
    await fakeRun("cppo-s0", { before: 0.3, after: 0.46, mid: 0.4, stepTimes: [2, 2, 9] });
    await fakeRun("cppo-s1", { before: 0.3, after: 0.52, mid: 0.45, stepTimes: [1, 2, 2] });
    const summary = await summarizeComparison(root, armsNamed(["grpo", "cppo", "papo"]), [0, 1]);

    expect(summary.missing).toEqual(["papo-s0", "papo-s1"]);
    expect(summary.evaluationSet).toBe("test");
    const [grpo, cppo] = summary.arms;
    expect(grpo?.after.mean).toBeCloseTo(0.45, 12);
    // std of [0.4, 0.5] with n - 1: |0.5 - 0.4| / sqrt(2)
    expect(grpo?.after.std).toBeCloseTo(0.1 / Math.SQRT2, 12);
    // medians of [1, 1, 3] and [1, 1, 1] are 1; of [2, 2, 9] and [1, 2, 2] are 2
    expect(grpo?.stepSeconds).toBe(1);
    expect(cppo?.stepSeconds).toBe(2);
    expect(cppo?.curve.map((p) => p.step)).toEqual([0, 1, 2]);
    expect(cppo?.curve[1]?.mean).toBeCloseTo(0.425, 12);

    const markdown = await writeComparisonReport(root, summary);
    const cppoRow = markdown.split("\n").find((l) => l.startsWith("| CPPO |")) as string;
    // after 49.0 ± std([46, 52]) = 4.2; change +19.0; paired differences +6 and +2: +4.0 ± 2.8; 2.00 s, 2.00 x
    expect(cppoRow).toBe(
      "| CPPO | 2 | 30.0 ± 0.0 | 49.0 ± 4.2 | +19.0 ± 4.2 | +4.0 ± 2.8 | 46.0, 52.0 | 2.00 | 2.00 |",
    );
    expect(markdown).toContain("Runs not finished: papo-s0, papo-s1.");
    const written = JSON.parse(await readFile(join(root, "results.json"), "utf8"));
    expect(written.arms[0].after.mean).toBeCloseTo(0.45, 12);
    const svg = await readFile(join(root, "learning-curves.svg"), "utf8");
    expect(svg).toContain("CPPO");
  });
});
