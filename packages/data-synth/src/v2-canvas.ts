import { type Rng, randomInt } from "@cppo/random";
import { svgDocument } from "./problem";

/**
 * Version 2 draws every family on a 64 x 64 canvas (one TinyVLM 8 x 8 patch per 8 canvas pixels) and renders
 * it at any multiple of 64 px, so one unit of any value read off the image is at least 8 px.
 */
export const V2_CANVAS = 64;

/** Canvas pixels per unit of a value read by length or position (bar height, grid cell, dot cell). */
export const V2_UNIT = 8;

/**
 * Ink stays inside [4, 60] on the canvas: a rotation of up to 10 degrees about the centre keeps it in the
 * frame (the perturb views' random rotation), and a zoom-crop to 60-70% of the side always cuts some of it.
 */
export const V2_MARGIN = 4;

/** The whole layout's offset on the canvas, in [-2, 2] on each axis, so drawings do not always sit on the patch grid. */
export function layoutOffset(rng: Rng): { dx: number; dy: number } {
  return { dx: randomInt(rng, -2, 2), dy: randomInt(rng, -2, 2) };
}

/** The SVG of a v2 drawing: `body` in canvas coordinates, scaled to `imageSize` pixels. */
export function v2Document(imageSize: number, body: string): string {
  return svgDocument(imageSize, body, V2_CANVAS);
}
