import { mulberry32, type Rng } from "@cppo/random";
import { sampleBars } from "./bars";
import { sampleGrid } from "./grid";
import type { FamilySampler, SynthFamily, SynthProblem } from "./problem";
import { SYNTH_FAMILIES } from "./problem";
import { renderPng } from "./render";
import { sampleSegments } from "./segments";
import { sampleShapes } from "./shapes";

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
  /** Side of the square image in pixels (default 32, at least 16). */
  imageSize?: number;
  /** Example id (default `synth-<family>`). */
  id?: string;
}

const SAMPLERS: Record<SynthFamily, FamilySampler> = {
  bars: sampleBars,
  shapes: sampleShapes,
  grid: sampleGrid,
  segments: sampleSegments,
};

export const DEFAULT_IMAGE_SIZE = 32;
const MAX_IMAGE_SIZE = 1024;

/** Validates an image side, naming the caller in the error. */
export function checkImageSize(imageSize: unknown, where: string): number {
  if (
    typeof imageSize !== "number" ||
    !Number.isInteger(imageSize) ||
    imageSize < 16 ||
    imageSize > MAX_IMAGE_SIZE
  ) {
    throw new Error(
      `${where}: imageSize must be an integer from 16 to ${MAX_IMAGE_SIZE} (pixels), got ${String(imageSize)}`,
    );
  }
  return imageSize;
}

/** Validates a family name, naming the caller in the error and listing the known families. */
export function checkFamily(family: unknown, where: string): SynthFamily {
  if (typeof family !== "string" || !(SYNTH_FAMILIES as readonly string[]).includes(family)) {
    throw new Error(
      `${where}: unknown family ${JSON.stringify(family)}; expected one of ${SYNTH_FAMILIES.join(", ")}`,
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
 */
export function sampleProblem(
  family: SynthFamily,
  seedOrRng: number | Rng,
  options: { imageSize?: number } = {},
): SynthProblem {
  const checked = checkFamily(family, "sampleProblem");
  const imageSize = checkImageSize(options.imageSize ?? DEFAULT_IMAGE_SIZE, "sampleProblem");
  const rng = typeof seedOrRng === "number" ? mulberry32(seedOrRng) : seedOrRng;
  return SAMPLERS[checked](rng, imageSize);
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
  const imageSize = checkImageSize(options.imageSize ?? DEFAULT_IMAGE_SIZE, "generateProblem");
  return renderProblem(sampleProblem(family, seedOrRng, { imageSize }), options);
}
