/**
 * Does a view keep the information the problems need? accuracy@k of a policy when every image it sees is
 * replaced by the view (drawn per image, seeded), next to the unperturbed images. An information-preserving
 * view should keep accuracy close to the original; an information-removing one should drop it.
 * Run: node --conditions=@cppo/source --import tsx bench/view-accuracy.ts [--backend wasm] [--problems 120]
 *      [--split validation|test] [--policy DIR] [--out FILE.json] [--data-version 1|2] [--views a,b,...]
 *      [--fill 0-255]
 * --data-version 2 evaluates on data-synth version 2 at the policy's image size (same splits and seeds as
 * version 1: the test split, or validation = train-split draws with data seed + 1000). --views keeps only
 * the listed views (the original image is always measured). --fill is the grey level rotation and perspective
 * paint outside the picture (default 0, black; 255 suits white-background charts).
 */
import { parseArgs } from "node:util";
import { makeSynthDataset, type SynthVersion } from "@cppo/data-synth";
import { viewByName } from "@cppo/perturb";
import { mixSeed } from "@cppo/random";
import { loadTinyVLM, type VisionLanguagePolicy } from "@cppo/vlm";
import { selectBackend } from "../src/backend";
import { resolveConfig } from "../src/config";
import { openDatasets, VALIDATION_SEED_OFFSET } from "../src/data";
import { evaluate } from "../src/evaluate";
import { formatTable, writeFileAtomic } from "../src/report";
import { WARM_START_DIR } from "../src/train";

const { values: args } = parseArgs({
  options: {
    backend: { type: "string", default: "wasm" },
    problems: { type: "string", default: "120" },
    split: { type: "string", default: "validation" },
    policy: { type: "string" },
    k: { type: "string", default: "8" },
    out: { type: "string" },
    "data-version": { type: "string", default: "1" },
    views: { type: "string" },
    fill: { type: "string", default: "0" },
  },
});
const ALL_VIEWS = [
  "colorJitter",
  "randomPerspective",
  "randomRotation",
  "informationPreserving",
  "randomOcclusion",
  "zoomCrop",
  "informationRemoving",
  "patchMask",
];
const VIEWS = args.views === undefined ? ALL_VIEWS : args.views.split(",");

await selectBackend(args.backend);
const policy = await loadTinyVLM(args.policy ?? WARM_START_DIR);
const config = resolveConfig({
  data: { testSize: Number(args.problems), evalSplit: args.split as "test" | "validation" },
});
const version = Number(args["data-version"]);
const validation = config.data.evalSplit === "validation";
const test =
  version === 1
    ? (await openDatasets(config)).test
    : makeSynthDataset({
        version: version as SynthVersion,
        split: validation ? "train" : "test",
        size: config.data.testSize,
        seed: config.data.seed + (validation ? VALIDATION_SEED_OFFSET : 0),
        imageSize: policy.imageSize,
      });

/** The policy, except that every image it generates from is first replaced by `view`. */
function seeing(view: ReturnType<typeof viewByName>, seed: number): VisionLanguagePolicy {
  let call = 0;
  return new Proxy(policy, {
    get(target, property) {
      if (property === "generate") {
        return async (options: Parameters<VisionLanguagePolicy["generate"]>[0]) => {
          const images = view.applyTensor(options.images, { seed: mixSeed(seed, call++) });
          try {
            return await target.generate({ ...options, images });
          } finally {
            images.dispose();
          }
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** data-synth examples carry their family; accuracy@k per family, in the order families first appear. */
const families = await Promise.all(
  Array.from({ length: test.length }, async (_, i) => {
    const example = await test.get(i);
    return "family" in example ? String(example.family) : "all";
  }),
);
const byFamily = (perProblem: Array<{ correct: number }>, k: number) => {
  const sums = new Map<string, { correct: number; problems: number }>();
  perProblem.forEach(({ correct }, i) => {
    const entry = sums.get(families[i] as string) ?? { correct: 0, problems: 0 };
    entry.correct += correct;
    entry.problems++;
    sums.set(families[i] as string, entry);
  });
  return Object.fromEntries([...sums].map(([f, e]) => [f, e.correct / (e.problems * k)]));
};

const rows: Array<{
  view: string;
  accuracy: number;
  pass: number;
  format: number;
  byFamily: Record<string, number>;
}> = [];
const run = async (name: string, subject: VisionLanguagePolicy) => {
  const result = await evaluate({
    policy: subject,
    dataset: test,
    k: Number(args.k),
    maxNewTokens: 48,
    seed: 5,
  });
  rows.push({
    view: name,
    accuracy: result.accuracyAtK,
    pass: result.passAtK,
    format: result.formatRate,
    byFamily: byFamily(result.perProblem, result.k),
  });
  console.error(`${name}: accuracy@${args.k} ${(100 * result.accuracyAtK).toFixed(1)}%`);
};
await run("original", policy);
const fill = Number(args.fill);
for (const name of VIEWS) await run(name, seeing(viewByName(name, { fill }), 11));
const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
console.log(
  formatTable(
    rows.map((r) => ({
      view: r.view,
      [`accuracy@${args.k}`]: pct(r.accuracy),
      [`pass@${args.k}`]: pct(r.pass),
    })),
  ),
);
if (args.out) {
  await writeFileAtomic(
    args.out,
    `${JSON.stringify({ split: args.split, dataVersion: version, fill, problems: test.length, rows }, null, 2)}\n`,
  );
}
