import { pick, randomInt, shuffle } from "@cppo/random";
import { numberSvg } from "./glyphs";
import { type PairOperation, pairProblem } from "./pair-problem";
import type { FamilySampler } from "./problem";
import { v2Document } from "./v2-canvas";

const POSITIONS = ["top", "bottom"] as const;
const OPERATIONS: readonly PairOperation[] = ["+", "-", { compare: "larger" }];
/** Font pixels of 3 x 3 canvas px: a digit is 9 x 15, a two-digit number 21 x 15. */
const SCALE = 3;
const WIDTH = 7 * SCALE;

/**
 * Reading, version 2: two numbers 10-99 drawn in a 3 x 5 bitmap font, one in the top half and one in the
 * bottom half, at random horizontal positions. Questions: `top+bottom?`, `bottom-top?` (signed),
 * `larger:top,bottom?` (answer: the position).
 *
 * @example
 * sampleNumbers(mulberry32(7), 64).referenceResponse; // e.g. "<think>top=47 bottom=85 47+85=132</think>\\boxed{132}"
 */
export const sampleNumbers: FamilySampler = (rng, imageSize) => {
  const operation = pick(rng, OPERATIONS);
  const [a, b] = shuffle(POSITIONS, rng) as [string, string];
  const values: Record<string, number> = { top: randomInt(rng, 10, 99), bottom: randomInt(rng, 10, 99) };
  if (typeof operation === "object") {
    while (values[b] === values[a]) values[b] = randomInt(rng, 10, 99);
  }
  let body = numberSvg(
    values.top as number,
    randomInt(rng, 6, 58 - WIDTH),
    randomInt(rng, 6, 14),
    SCALE,
    "#000000",
  );
  body += numberSvg(
    values.bottom as number,
    randomInt(rng, 6, 58 - WIDTH),
    randomInt(rng, 37, 45),
    SCALE,
    "#000000",
  );

  return pairProblem("numbers", imageSize, v2Document(imageSize, body), values, a, b, operation, "v2|");
};
