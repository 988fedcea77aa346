import { permutation, pick, randomInt, shuffle } from "@cppo/random";
import { type PairOperation, pairProblem } from "./pair-problem";
import { COLOUR_NAMES, hexColour } from "./palette";
import { type FamilySampler, rect } from "./problem";
import { SHAPE_KINDS, shapeSvg } from "./shapes";
import { layoutOffset, V2_UNIT, v2Document } from "./v2-canvas";

const SIDES = ["left", "right"] as const;
const OPERATIONS: readonly PairOperation[] = ["+", "-", { compare: "more" }];
/** Each side is a 3 x 6 block of 8 px cells, at most one dot per cell. */
const COLUMNS = 3;
const ROWS = 6;
const MAX_COUNT = 15;

/**
 * Counting, version 2: a black divider splits the image; each side holds 1-15 dots (squares, circles,
 * triangles of random colours, 6 px in 8 px cells, so they never touch). Questions: `left+right?`,
 * `right-left?` (signed), `more:left,right?` (answer: the side).
 *
 * @example
 * sampleDots(mulberry32(7), 64).referenceResponse; // e.g. "<think>left=12 right=7 12-7=5</think>\\boxed{5}"
 */
export const sampleDots: FamilySampler = (rng, imageSize) => {
  const operation = pick(rng, OPERATIONS);
  const [a, b] = shuffle(SIDES, rng) as [string, string];
  const values: Record<string, number> = {
    left: randomInt(rng, 1, MAX_COUNT),
    right: randomInt(rng, 1, MAX_COUNT),
  };
  if (typeof operation === "object") {
    while (values[b] === values[a]) values[b] = randomInt(rng, 1, MAX_COUNT);
  }
  const { dx, dy } = layoutOffset(rng);

  const top = 8 + dy;
  let body = rect(31 + dx, top - 2, 2, ROWS * V2_UNIT + 4, "#000000");
  SIDES.forEach((side, s) => {
    const left = (s === 0 ? 6 : 34) + dx;
    for (const cell of permutation(COLUMNS * ROWS, rng).slice(0, values[side])) {
      const x = left + (cell % COLUMNS) * V2_UNIT + 1;
      const y = top + Math.floor(cell / COLUMNS) * V2_UNIT + 1;
      body += shapeSvg(pick(rng, SHAPE_KINDS), x, y, V2_UNIT - 2, hexColour(pick(rng, COLOUR_NAMES)));
    }
  });

  return pairProblem("dots", imageSize, v2Document(imageSize, body), values, a, b, operation, "v2|");
};
