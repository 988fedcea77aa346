import type { Rng } from "@cppo/random";

/** Family names of both generator versions (v1: bars, shapes, grid, segments; v2: bars, dots, grid, numbers). */
export type SynthFamily = "bars" | "shapes" | "grid" | "segments" | "dots" | "numbers";

/** Every family of generator version 1, in a fixed order (the dataset cycles through them in this order by default). */
export const SYNTH_FAMILIES: readonly SynthFamily[] = ["bars", "shapes", "grid", "segments"];

/** Every family of generator version 2, in the order its datasets cycle through them. */
export const SYNTH_V2_FAMILIES: readonly SynthFamily[] = ["bars", "dots", "grid", "numbers"];

/** One problem before rasterisation: everything but the PNG. */
export interface SynthProblem {
  family: SynthFamily;
  /** Side of the square image the SVG draws, in pixels. */
  imageSize: number;
  /** The question without the `<image>\n` prefix, e.g. `red+blue?`. */
  question: string;
  /** The ground-truth values drawn into the image. */
  values: Record<string, number>;
  /** Problem identity (family, question, the values the answer depends on); the train/test split is a function of it. */
  key: string;
  svg: string;
  referenceResponse: string;
  perceptionLabels: Uint8Array;
  groundTruth: string;
}

/** Samples one problem of a family; `imageSize` is the side of the square image in pixels. */
export type FamilySampler = (rng: Rng, imageSize: number) => SynthProblem;

/**
 * An SVG document of `size` x `size` pixels on white, with crisp (non-antialiased) edges so colours stay pure.
 * `body` is drawn in coordinates from 0 to `viewSize` (default `size`), scaled to `size`.
 */
export function svgDocument(size: number, body: string, viewSize = size): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${viewSize} ${viewSize}" shape-rendering="crispEdges"><rect width="${viewSize}" height="${viewSize}" fill="#ffffff"/>${body}</svg>`;
}

/** An SVG `<rect>` at integer pixel coordinates. */
export function rect(x: number, y: number, width: number, height: number, fill: string): string {
  return `<rect x="${x}" y="${y}" width="${width}" height="${height}" fill="${fill}"/>`;
}
