import { mulberry32, type Rng } from "@cppo/random";
import { sampleBars } from "./bars";
import { sampleBarsV2 } from "./bars-v2";
import { sampleDots } from "./dots";
import { sampleGrid } from "./grid";
import { sampleGridV2 } from "./grid-v2";
import { sampleNumbers } from "./numbers";
import type { FamilySampler, SynthFamily, SynthProblem } from "./problem";
import { renderPng } from "./render";
import { sampleSegments } from "./segments";
import { sampleShapes } from "./shapes";
import { V2_CANVAS } from "./v2-canvas";
import { checkVersion, DEFAULT_IMAGE_SIZES, type SynthVersion, synthFamilies } from "./version";

/** One rendered problem, in the example shape the trainer consumes. */
export interface SynthExample {
  id: string;
  /** `<image>\n` then the question, e.g. `<image>\nred+blue?`. */
  prompt: string;
  groundTruth: string;
  /** One RGB PNG of imageSize x imageSize. */
  images: Uint8Array[];
  family: SynthFamily;
  /** `<think>...</think>\boxed{...}`. */
  referenceResponse: string;
  /** [referenceResponse.length]: 1 on characters that write a value read from the image (first mention only). */
  perceptionLabels: Uint8Array;
  /** The ground-truth values drawn into the image. */
  values: Record<string, number>;
}

export interface GenerateOptions {
  /** Generator version (default 1). */
  version?: SynthVersion;
  /** Side of the square image in pixels (version 1: default 32, 16 to 1024; version 2: default 64, a multiple of 64 up to 1024). */
  imageSize?: number;
  /** Example id (default `synth-<family>`). */
  id?: string;
}

const SAMPLERS: Record<SynthVersion, Partial<Record<SynthFamily, FamilySampler>>> = {
  1: { bars: sampleBars, shapes: sampleShapes, grid: sampleGrid, segments: sampleSegments },
  2: { bars: sampleBarsV2, dots: sampleDots, grid: sampleGridV2, numbers: sampleNumbers },
};

/** Default image side of version 1 (version 2's is 64). */
export const DEFAULT_IMAGE_SIZE = DEFAULT_IMAGE_SIZES[1];
const MAX_IMAGE_SIZE = 1024;

/** Validates an image side for a version, naming the caller in the error. */
export function checkImageSize(imageSize: unknown, where: string, version: SynthVersion = 1): number {
  const integer = typeof imageSize === "number" && Number.isInteger(imageSize);
  if (version === 2) {
    if (!integer || imageSize < V2_CANVAS || imageSize > MAX_IMAGE_SIZE || imageSize % V2_CANVAS !== 0) {
      throw new Error(
        `${where}: version 2 imageSize must be a multiple of ${V2_CANVAS} from ${V2_CANVAS} to ${MAX_IMAGE_SIZE} (pixels), got ${String(imageSize)}`,
      );
    }
  } else if (!integer || imageSize < 16 || imageSize > MAX_IMAGE_SIZE) {
    throw new Error(
      `${where}: imageSize must be an integer from 16 to ${MAX_IMAGE_SIZE} (pixels), got ${String(imageSize)}`,
    );
  }
  return imageSize as number;
}

/** Validates a family name for a version, naming the caller in the error and listing the version's families. */
export function checkFamily(family: unknown, where: string, version: SynthVersion = 1): SynthFamily {
  const families = synthFamilies(version);
  if (typeof family !== "string" || !(families as readonly string[]).includes(family)) {
    throw new Error(
      `${where}: unknown family ${JSON.stringify(family)} for version ${version}; expected one of ${families.join(", ")}`,
    );
  }
  return family as SynthFamily;
}

/**
 * Samples one problem (no rasterisation): question, values, SVG, reference response and labels.
 * Deterministic: the same seed (or an Rng in the same state) gives the same problem.
 *
 * @example
 * const problem = sampleProblem("grid", 7);
 * problem.referenceResponse; // e.g. "<think>row=2 col=3 2*3=6</think>\\boxed{6}"
 * sampleProblem("numbers", 7, { version: 2 }).question; // e.g. "top+bottom?"
 */
export function sampleProblem(
  family: SynthFamily,
  seedOrRng: number | Rng,
  options: { imageSize?: number; version?: SynthVersion } = {},
): SynthProblem {
  const version = checkVersion(options.version ?? 1, "sampleProblem");
  const checked = checkFamily(family, "sampleProblem", version);
  const imageSize = checkImageSize(
    options.imageSize ?? DEFAULT_IMAGE_SIZES[version],
    "sampleProblem",
    version,
  );
  const rng = typeof seedOrRng === "number" ? mulberry32(seedOrRng) : seedOrRng;
  return (SAMPLERS[version][checked] as FamilySampler)(rng, imageSize);
}

/**
 * Rasterises a sampled problem into a SynthExample, at the size it was sampled for.
 *
 * @example
 * const example = await renderProblem(sampleProblem("bars", 1), { id: "bars-1" });
 */
export async function renderProblem(
  problem: SynthProblem,
  options: { id?: string } = {},
): Promise<SynthExample> {
  return {
    id: options.id ?? `synth-${problem.family}`,
    prompt: `<image>\n${problem.question}`,
    groundTruth: problem.groundTruth,
    images: [await renderPng(problem.svg, problem.imageSize)],
    family: problem.family,
    referenceResponse: problem.referenceResponse,
    perceptionLabels: problem.perceptionLabels,
    values: problem.values,
  };
}

/**
 * One problem of `family`, rendered to a PNG. Deterministic by seed. Async because sharp rasterises
 * asynchronously.
 *
 * @example
 * const example = await generateProblem("bars", 42, { imageSize: 32 });
 * example.prompt; // e.g. "<image>\nred+blue?"
 */
export async function generateProblem(
  family: SynthFamily,
  seedOrRng: number | Rng,
  options: GenerateOptions = {},
): Promise<SynthExample> {
  const version = checkVersion(options.version ?? 1, "generateProblem");
  const imageSize = checkImageSize(
    options.imageSize ?? DEFAULT_IMAGE_SIZES[version],
    "generateProblem",
    version,
  );
  return renderProblem(sampleProblem(family, seedOrRng, { imageSize, version }), options);
}
