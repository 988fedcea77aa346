import { hashString, mulberry32 } from "@cppo/random";
import { checkFamily, checkImageSize, renderProblem, type SynthExample, sampleProblem } from "./generate";
import type { SynthFamily, SynthProblem } from "./problem";
import { type SynthSplit, splitOfKey } from "./split";
import { checkVersion, DEFAULT_IMAGE_SIZES, type SynthVersion, synthFamilies } from "./version";

/** A lazily materialised, indexable, async-iterable list of examples (shared shape with @cppo/data-virl). */
export interface ExampleDataset<E> {
  readonly length: number;
  get(i: number): Promise<E>;
  [Symbol.asyncIterator](): AsyncIterator<E>;
}

export interface SynthDatasetOptions {
  split: SynthSplit;
  /** Number of examples (a non-negative integer). */
  size: number;
  /** Default 0. */
  seed?: number;
  /** Generator version, default 1 (version 1's problems never change). */
  version?: SynthVersion;
  /** Side of the square images in pixels: version 1 default 32, at least 16; version 2 default 64, a multiple of 64. */
  imageSize?: number;
  /** Families to cycle through (example i has family families[i % families.length]); default all of the version's. */
  families?: SynthFamily[];
}

const CACHE_SIZE = 64;
const MAX_ATTEMPTS = 1000;

/**
 * The problem at (split, seed, index): sampled from a seed hashed from the four of them (and the version,
 * from version 2 on), resampled until its key routes to `split`. Exported for tests and for tools that need
 * no image.
 *
 * @example
 * sampleSplitProblem("test", 0, 5, "bars", 32).question;
 * sampleSplitProblem("test", 0, 5, "numbers", 64, 2).question;
 */
export function sampleSplitProblem(
  split: SynthSplit,
  seed: number,
  index: number,
  family: SynthFamily,
  imageSize: number,
  version: SynthVersion = 1,
): SynthProblem {
  const salt = version === 1 ? "" : `v${version}|`;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const rng = mulberry32(hashString(`${salt}${seed}|${split}|${index}|${attempt}`));
    const problem = sampleProblem(family, rng, { imageSize, version });
    if (splitOfKey(problem.key) === split) return problem;
  }
  throw new Error(`sampleSplitProblem: no ${family} problem routed to ${split} in ${MAX_ATTEMPTS} draws`);
}

/**
 * A procedurally generated benchmark: no download, deterministic by seed, train and test disjoint by
 * problem identity. Examples are rendered on demand by `get(i)` (a small cache keeps recent ones).
 *
 * @example
 * const train = makeSynthDataset({ split: "train", size: 1000, seed: 0 });
 * const v2 = makeSynthDataset({ split: "test", size: 200, version: 2 }); // 64 px
 * const example = await train.get(0);
 * example.prompt; // "<image>\nred+blue?" (say)
 * for await (const e of makeSynthDataset({ split: "test", size: 8 })) console.log(e.groundTruth);
 */
export function makeSynthDataset(options: SynthDatasetOptions): ExampleDataset<SynthExample> {
  if (options === null || typeof options !== "object") {
    throw new Error(
      "makeSynthDataset: expected an options object { split, size, seed?, version?, imageSize?, families? }",
    );
  }
  const { split, size } = options;
  if (split !== "train" && split !== "test") {
    throw new Error(`makeSynthDataset: split must be "train" or "test", got ${JSON.stringify(split)}`);
  }
  if (typeof size !== "number" || !Number.isInteger(size) || size < 0) {
    throw new Error(`makeSynthDataset: size must be a non-negative integer, got ${String(size)}`);
  }
  const seed = options.seed ?? 0;
  if (typeof seed !== "number" || !Number.isInteger(seed)) {
    throw new Error(`makeSynthDataset: seed must be an integer, got ${String(seed)}`);
  }
  const version = checkVersion(options.version ?? 1, "makeSynthDataset");
  const imageSize = checkImageSize(
    options.imageSize ?? DEFAULT_IMAGE_SIZES[version],
    "makeSynthDataset",
    version,
  );
  const families = options.families ?? [...synthFamilies(version)];
  if (!Array.isArray(families) || families.length === 0) {
    throw new Error("makeSynthDataset: families must be a non-empty array of family names");
  }
  for (const family of families) checkFamily(family, "makeSynthDataset", version);
  const idPrefix = version === 1 ? "synth" : `synth${version}`;

  const cache = new Map<number, Promise<SynthExample>>();
  const get = (i: number): Promise<SynthExample> => {
    if (!Number.isInteger(i) || i < 0 || i >= size) {
      return Promise.reject(new RangeError(`makeSynthDataset.get: index ${i} out of range [0, ${size})`));
    }
    const hit = cache.get(i);
    if (hit) {
      cache.delete(i);
      cache.set(i, hit);
      return hit;
    }
    const family = families[i % families.length] as SynthFamily;
    const problem = sampleSplitProblem(split, seed, i, family, imageSize, version);
    const example = renderProblem(problem, { id: `${idPrefix}-${split}-${seed}-${i}` });
    cache.set(i, example);
    // A failed render must not stay cached.
    example.catch(() => {
      if (cache.get(i) === example) cache.delete(i);
    });
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as number);
    return example;
  };

  return {
    length: size,
    get,
    async *[Symbol.asyncIterator]() {
      for (let i = 0; i < size; i++) yield await get(i);
    },
  };
}
