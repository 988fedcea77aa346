/**
 * How fast examples are made, how big they are, and how many distinct problems each split holds.
 * Run from packages/data-synth: `npx tsx bench/throughput.ts`
 */
import { makeSynthDataset, SYNTH_FAMILIES, type SynthFamily, sampleSplitProblem } from "../src/index";

const SAMPLES = 20_000;
const RENDERS = 2_000;

let start = performance.now();
for (let i = 0; i < SAMPLES; i++) sampleSplitProblem("train", 0, i, SYNTH_FAMILIES[i % 4] as SynthFamily, 32);
const sampleMs = performance.now() - start;
console.log(`sample (no image): ${((SAMPLES / sampleMs) * 1000).toFixed(0)} problems/s`);

for (const imageSize of [32, 48]) {
  const dataset = makeSynthDataset({ split: "train", size: RENDERS, seed: 0, imageSize });
  let bytes = 0;
  start = performance.now();
  for await (const example of dataset) bytes += example.images[0]?.length ?? 0;
  const ms = performance.now() - start;
  console.log(
    `render ${imageSize}px: ${((RENDERS / ms) * 1000).toFixed(0)} examples/s, mean PNG ${(bytes / RENDERS).toFixed(0)} bytes`,
  );
}

for (const split of ["train", "test"] as const) {
  const perFamily = new Map<SynthFamily, Set<string>>(SYNTH_FAMILIES.map((f) => [f, new Set<string>()]));
  for (let i = 0; i < 40_000; i++) {
    const family = SYNTH_FAMILIES[i % 4] as SynthFamily;
    perFamily.get(family)?.add(sampleSplitProblem(split, 0, i, family, 32).key);
  }
  console.log(
    `${split}: distinct problems seen in 10k draws per family:`,
    Object.fromEntries([...perFamily].map(([f, keys]) => [f, keys.size])),
  );
}
