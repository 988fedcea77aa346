import { pick, randomInt, shuffle } from "@cppo/random";
import { type PairOperation, pairProblem } from "./pair-problem";
import { COLOUR_NAMES, hexColour } from "./palette";
import { type FamilySampler, rect } from "./problem";
import { layoutOffset, V2_UNIT, v2Document } from "./v2-canvas";

/** The bars of a v2 bar chart, named by position. */
export const BAR_POSITIONS = ["left", "mid", "right"] as const;

const OPERATIONS: readonly PairOperation[] = ["+", "-", { compare: "taller" }];
const MAX_HEIGHT = 6;

/**
 * Version 2 bars: three bars (left, mid, right) of heights 1-6 units of 8 canvas px, of random colours, over
 * a left axis with one tick per unit. Questions name bars by position: `left+mid?`, `right-left?` (signed),
 * `taller:mid,right?` (answer: the position).
 *
 * @example
 * sampleBarsV2(mulberry32(7), 64).referenceResponse; // e.g. "<think>left=5 mid=2 5+2=7</think>\\boxed{7}"
 */
export const sampleBarsV2: FamilySampler = (rng, imageSize) => {
  const operation = pick(rng, OPERATIONS);
  const [a, b] = shuffle(BAR_POSITIONS, rng).slice(0, 2) as [string, string];
  const heights = BAR_POSITIONS.map(() => randomInt(rng, 1, MAX_HEIGHT));
  const values: Record<string, number> = {};
  BAR_POSITIONS.forEach((name, i) => {
    values[name] = heights[i] as number;
  });
  if (typeof operation === "object") {
    while (values[b] === values[a]) values[b] = randomInt(rng, 1, MAX_HEIGHT);
  }
  const colours = BAR_POSITIONS.map(() => pick(rng, COLOUR_NAMES));
  const { dx, dy } = layoutOffset(rng);

  const axisX = 6 + dx;
  const baseline = 56 + dy;
  let body = rect(axisX, baseline - MAX_HEIGHT * V2_UNIT, 1, MAX_HEIGHT * V2_UNIT, "#000000");
  body += rect(axisX, baseline, 52, 1, "#000000");
  for (let k = 1; k <= MAX_HEIGHT; k++) body += rect(axisX + 1, baseline - k * V2_UNIT, 2, 1, "#000000");
  BAR_POSITIONS.forEach((name, i) => {
    const height = (values[name] as number) * V2_UNIT;
    body += rect(axisX + 5 + 16 * i, baseline - height, 12, height, hexColour(colours[i] ?? "red"));
  });

  return pairProblem("bars", imageSize, v2Document(imageSize, body), values, a, b, operation, "v2|");
};
