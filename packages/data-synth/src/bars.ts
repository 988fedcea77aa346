import { pick, randomInt, shuffle } from "@cppo/random";
import { pairProblem } from "./pair-problem";
import { COLOUR_NAMES, hexColour } from "./palette";
import { type FamilySampler, rect, svgDocument } from "./problem";

const BAR_OPERATIONS = ["+", "-", "taller"] as const;

/**
 * Pixels per unit of bar height: nine units fit above the baseline with a small top margin.
 *
 * @example
 * barUnit(32); // 3
 */
export function barUnit(imageSize: number): number {
  return Math.floor((imageSize - 5) / 9);
}

/**
 * Two or three bars of distinct colours, heights 1-9 units, over a left axis with one tick per unit.
 * Questions: `red+blue?`, `red-blue?` (signed), `taller:red,blue?` (answer: the colour).
 *
 * @example
 * const problem = sampleBars(mulberry32(7), 32);
 * problem.question; // e.g. "red+blue?"
 */
export const sampleBars: FamilySampler = (rng, imageSize) => {
  const barCount = randomInt(rng, 2, 3);
  const colours = shuffle(COLOUR_NAMES, rng).slice(0, barCount);
  const slots = shuffle([0, 1, 2], rng).slice(0, barCount);
  const operation = pick(rng, BAR_OPERATIONS);
  const heights = colours.map(() => randomInt(rng, 1, 9));
  const [a, b] = colours as [string, string];
  if (operation === "taller") {
    while (heights[1] === heights[0]) heights[1] = randomInt(rng, 1, 9);
  }
  const values: Record<string, number> = {};
  colours.forEach((colour, i) => {
    values[colour] = heights[i] as number;
  });

  const unit = barUnit(imageSize);
  const baseline = imageSize - 2;
  const slotWidth = Math.floor((imageSize - 4) / 3);
  let body = rect(0, baseline - 9 * unit, 1, 9 * unit + 1, "#000000");
  body += rect(0, baseline, imageSize, 1, "#000000");
  for (let k = 1; k <= 9; k++) body += rect(1, baseline - k * unit, 2, 1, "#000000");
  colours.forEach((colour, i) => {
    const x = 4 + (slots[i] as number) * slotWidth + 1;
    const height = (heights[i] as number) * unit;
    body += rect(x, baseline - height, slotWidth - 2, height, hexColour(colour));
  });

  return pairProblem(
    "bars",
    imageSize,
    svgDocument(imageSize, body),
    values,
    a,
    b,
    operation === "taller" ? { compare: "taller" } : operation,
    "",
  );
};
