import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import sharp from "sharp";
import {
  type ChartSeries,
  formatMarkdownTable,
  type MetricsRecord,
  renderLineChartSvg,
  writeFileAtomic,
} from "../report";
import { ABLATION_LADDER, METHOD_ARMS } from "./arms";
import { type MeanStd, meanStd } from "./statistics";
import type { ArmSummary, ComparisonSummary } from "./summarize";

/**
 * Writes a comparison's `results.md` (the methods table, the ablation ladder, the detector table),
 * `results.json` (the summary) and the plots (`learning-curves`, `ablation-curves`, `detector-precision`,
 * `detector-recall`, each .svg and .png) into `dir`. Tables and plots whose arms did not run are left out.
 * Returns the Markdown.
 *
 * @example
 * const markdown = await writeComparisonReport("runs/compare", await summarizeComparison(...));
 */
export async function writeComparisonReport(dir: string, summary: ComparisonSummary): Promise<string> {
  await mkdir(dir, { recursive: true });
  const byName = new Map(summary.arms.filter((a) => a.runs.length > 0).map((a) => [a.arm, a]));
  const grpo = byName.get("grpo");
  const k = summary.k;
  const sections: string[] = [];

  const methods = METHOD_ARMS.map((name) => byName.get(name)).filter((a): a is ArmSummary => !!a);
  if (methods.length > 0) {
    sections.push(
      `### Methods: accuracy@${k} on ${summary.testProblems} ${summary.evaluationSet} problems\n`,
    );
    sections.push(accuracyTable(methods, grpo, "method", (a) => a.label));
    await writeCurves(
      dir,
      "learning-curves",
      `${capitalize(summary.evaluationSet)} accuracy@${k} during training (mean ± std over seeds)`,
      methods,
    );
  }
  const ladder = ABLATION_LADDER.map(({ arm, rung }) => ({ rung, arm: byName.get(arm) })).filter(
    (r): r is { rung: (typeof ABLATION_LADDER)[number]["rung"]; arm: ArmSummary } => !!r.arm,
  );
  if (ladder.length > 1) {
    sections.push(`### Ablation ladder: accuracy@${k}\n`);
    const labels = new Map(ladder.map((r) => [r.arm.arm, r.rung as string]));
    const arms = ladder.map((r) => r.arm);
    sections.push(accuracyTable(arms, grpo, "rung", (a) => labels.get(a.arm) ?? a.label));
    await writeCurves(
      dir,
      "ablation-curves",
      `Ablation ladder: ${summary.evaluationSet} accuracy@${k} (mean ± std over seeds)`,
      arms,
      labels,
    );
  }
  const withDetector = summary.arms.filter((a) => a.runs.some((r) => r.detector.length > 0));
  for (const arm of withDetector) {
    sections.push(`### Perception-token detector during ${arm.label} training\n`);
    sections.push(detectorTable(arm));
    await writeDetectorPlots(dir, arm);
  }
  if (summary.missing.length > 0) sections.push(`Runs not finished: ${summary.missing.join(", ")}.\n`);
  const markdown = sections.join("\n");
  await writeFileAtomic(join(dir, "results.md"), markdown);
  await writeFileAtomic(join(dir, "results.json"), `${JSON.stringify(summary, null, 2)}\n`);
  return markdown;
}

function accuracyTable(
  arms: ArmSummary[],
  grpo: ArmSummary | undefined,
  firstColumn: string,
  label: (arm: ArmSummary) => string,
): string {
  const rows = arms.map((arm) => {
    const paired = grpo ? pairedDifference(arm, grpo) : null;
    return {
      [firstColumn]: label(arm),
      seeds: arm.runs.length,
      before: pctMeanStd(arm.before),
      after: pctMeanStd(arm.after),
      change: pctMeanStd(arm.change, true),
      "after − GRPO, same seed": paired && arm.arm !== "grpo" ? pctMeanStd(paired, true) : "",
      "after, per seed": arm.runs.map((r) => pct(r.after)).join(", "),
      "s / step": arm.stepSeconds.toFixed(2),
      "× GRPO time": grpo ? (arm.stepSeconds / grpo.stepSeconds).toFixed(2) : "",
    };
  });
  return formatMarkdownTable(rows, { align: ["l", "r", "r", "r", "r", "r", "l", "r", "r"] });
}

/** Per seed present in both arms: this arm's final accuracy minus GRPO's (same seeds, same test samples). */
function pairedDifference(arm: ArmSummary, grpo: ArmSummary): MeanStd {
  const grpoBySeed = new Map(grpo.runs.map((r) => [r.seed, r.after]));
  return meanStd(
    arm.runs.filter((r) => grpoBySeed.has(r.seed)).map((r) => r.after - (grpoBySeed.get(r.seed) as number)),
  );
}

async function writeCurves(
  dir: string,
  file: string,
  title: string,
  arms: ArmSummary[],
  labels?: Map<string, string>,
): Promise<void> {
  const series: ChartSeries[] = arms.map((arm) => ({
    name: labels?.get(arm.arm) ?? arm.label,
    points: arm.curve.map((p) => [p.step, 100 * p.mean]),
    band: arm.curve.map((p) => [p.step, 100 * (p.mean - p.std), 100 * (p.mean + p.std)]),
  }));
  await writeChart(dir, file, renderLineChartSvg({ title, xLabel: "step", yLabel: "accuracy (%)", series }));
}

/** The topFraction values a detector record carries (keys `precision@<p>`), ascending. */
function detectorFractions(records: MetricsRecord[]): string[] {
  const keys = new Set(records.flatMap((r) => Object.keys(r)));
  return [...keys]
    .filter((key) => key.startsWith("precision@"))
    .map((key) => key.slice("precision@".length))
    .sort((a, b) => Number(a) - Number(b));
}

/** Mean over seeds of `key` at `step`. */
function detectorMean(arm: ArmSummary, step: number, key: string): MeanStd {
  return meanStd(
    arm.runs.flatMap((r) =>
      r.detector.filter((d) => d.step === step && typeof d[key] === "number").map((d) => d[key] as number),
    ),
  );
}

function detectorSteps(arm: ArmSummary): number[] {
  return [...new Set(arm.runs.flatMap((r) => r.detector.map((d) => d.step)))].sort((a, b) => a - b);
}

function detectorTable(arm: ArmSummary): string {
  const records = arm.runs.flatMap((r) => r.detector);
  const steps = detectorSteps(arm);
  const first = steps[0] as number;
  const last = steps[steps.length - 1] as number;
  const rows = detectorFractions(records).map((p) => ({
    topFraction: p,
    [`precision, step ${first}`]: pctMeanStd(detectorMean(arm, first, `precision@${p}`)),
    [`precision, step ${last}`]: pctMeanStd(detectorMean(arm, last, `precision@${p}`)),
    [`random precision, step ${last}`]: pctMeanStd(detectorMean(arm, last, `random_precision@${p}`)),
    [`recall, step ${first}`]: pctMeanStd(detectorMean(arm, first, `recall@${p}`)),
    [`recall, step ${last}`]: pctMeanStd(detectorMean(arm, last, `recall@${p}`)),
    [`random recall, step ${last}`]: pctMeanStd(detectorMean(arm, last, `random_recall@${p}`)),
  }));
  const baseRate = detectorMean(arm, last, "base_rate");
  const tokens = detectorMean(arm, last, "tokens");
  return `${formatMarkdownTable(rows, { align: ["r", "r", "r", "r", "r", "r", "r"] })}
Perception tokens are ${pct(baseRate.mean)}% of the ${tokens.mean.toFixed(0)} response tokens scored at step ${last} (the precision of a random pick); mean ± std over ${arm.runs.length} seeds.
`;
}

async function writeDetectorPlots(dir: string, arm: ArmSummary): Promise<void> {
  const fractions = detectorFractions(arm.runs.flatMap((r) => r.detector));
  const steps = detectorSteps(arm);
  for (const measure of ["precision", "recall"] as const) {
    const line = (name: string, key: string): ChartSeries => ({
      name,
      points: steps.map((s): [number, number] => [s, 100 * detectorMean(arm, s, key).mean]),
    });
    const detector = fractions.map((p) => line(`detector, top ${p}`, `${measure}@${p}`));
    // A random pick's precision is the base rate whatever its size; its recall grows with the size.
    const random =
      measure === "precision"
        ? [line("random pick (base rate)", "base_rate")]
        : fractions.map((p) => line(`random, top ${p}`, `random_recall@${p}`));
    const series = [...detector, ...random];
    const title = `Detector ${measure} vs data-synth labels during ${arm.label} training`;
    await writeChart(
      dir,
      `detector-${measure}`,
      renderLineChartSvg({ title, xLabel: "step", yLabel: `${measure} (%)`, series, yRange: [0, 100] }),
    );
  }
}

async function writeChart(dir: string, file: string, svg: string): Promise<void> {
  await writeFileAtomic(join(dir, `${file}.svg`), svg);
  await writeFileAtomic(join(dir, `${file}.png`), await sharp(Buffer.from(svg)).png().toBuffer());
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function pct(value: number): string {
  return Number.isFinite(value) ? (100 * value).toFixed(1) : "–";
}

function pctMeanStd(value: MeanStd, signed = false): string {
  if (!Number.isFinite(value.mean)) return "–";
  const mean = (100 * value.mean).toFixed(1);
  return `${signed && value.mean > 0 ? "+" : ""}${mean} ± ${(100 * value.std).toFixed(1)}`;
}
