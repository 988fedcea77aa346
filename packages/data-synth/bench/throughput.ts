/**
 * How fast examples are made, how big they are, and how many distinct problems each split holds, for both
 * generator versions. Run from packages/data-synth: `node --conditions=@cppo/source --import tsx bench/throughput.ts`
 */
import {
  makeSynthDataset,
  type SynthFamily,
  type SynthVersion,
  sampleSplitProblem,
  synthFamilies,
} from "../src/index";

const SAMPLES = 20_000;
const RENDERS = 2_000;
const DRAWS_PER_FAMILY = 10_000;

for (const version of [1, 2] as SynthVersion[]) {
  const families = synthFamilies(version);
  const sizes = version === 1 ? [32, 48] : [64, 128];
  let start = performance.now();
  for (let i = 0; i < SAMPLES; i++) {
    sampleSplitProblem("train", 0, i, families[i % 4] as SynthFamily, sizes[0] as number, version);
  }
  const sampleMs = performance.now() - start;
  console.log(`v${version} sample (no image): ${((SAMPLES / sampleMs) * 1000).toFixed(0)} problems/s`);

  for (const imageSize of sizes) {
    const dataset = makeSynthDataset({ split: "train", size: RENDERS, seed: 0, imageSize, version });
    let bytes = 0;
    start = performance.now();
    for await (const example of dataset) bytes += example.images[0]?.length ?? 0;
    const ms = performance.now() - start;
    console.log(
      `v${version} render ${imageSize}px: ${((RENDERS / ms) * 1000).toFixed(0)} examples/s, mean PNG ${(bytes / RENDERS).toFixed(0)} bytes`,
    );
  }

  for (const split of ["train", "test"] as const) {
    const perFamily = new Map<SynthFamily, Set<string>>(families.map((f) => [f, new Set<string>()]));
    for (let i = 0; i < DRAWS_PER_FAMILY * 4; i++) {
      const family = families[i % 4] as SynthFamily;
      perFamily.get(family)?.add(sampleSplitProblem(split, 0, i, family, sizes[0] as number, version).key);
    }
    console.log(
      `v${version} ${split}: distinct problems seen in ${DRAWS_PER_FAMILY / 1000}k draws per family:`,
      Object.fromEntries([...perFamily].map(([f, keys]) => [f, keys.size])),
    );
  }
}
