import { permutation, pick, randomInt, shuffle } from "@cppo/random";
import { glyphSvg, MARK_GLYPHS } from "./glyphs";
import { type PairOperation, pairProblem } from "./pair-problem";
import { COLOUR_NAMES, hexColour } from "./palette";
import { type FamilySampler, rect } from "./problem";
import { v2Document } from "./v2-canvas";

/** The four values a v2 grid problem can ask about: the row and column of the cell marked x, and of the one marked o. */
export const GRID_READINGS = ["xrow", "xcol", "orow", "ocol"] as const;

const SIZE = 6;
/** 9 canvas px per cell: the 6 x 6 grid (55 px) fits inside the margins, and a 6 px mark fits in a cell with 1 px to spare. */
const CELL = 9;
const OPERATIONS: readonly PairOperation[] = ["+", "-", "*"];

/**
 * Version 2 grid: a 6 x 6 grid with two cells marked by drawn labels, an `x` and an `o` (random colours);
 * rows and columns count from 1 at the top left. A question combines two of xrow, xcol, orow, ocol:
 * `xrow*ocol?`, `ocol-xcol?` (signed), `orow+xrow?`.
 *
 * @example
 * sampleGridV2(mulberry32(7), 64).referenceResponse; // e.g. "<think>xrow=3 ocol=5 3*5=15</think>\\boxed{15}"
 */
export const sampleGridV2: FamilySampler = (rng, imageSize) => {
  const operation = pick(rng, OPERATIONS);
  const [a, b] = shuffle(GRID_READINGS, rng).slice(0, 2) as [string, string];
  const [xCell, oCell] = permutation(SIZE * SIZE, rng).slice(0, 2) as [number, number];
  const values: Record<string, number> = {
    xrow: Math.floor(xCell / SIZE) + 1,
    xcol: (xCell % SIZE) + 1,
    orow: Math.floor(oCell / SIZE) + 1,
    ocol: (oCell % SIZE) + 1,
  };
  const originX = randomInt(rng, 4, 5);
  const originY = randomInt(rng, 4, 5);

  let body = "";
  for (let k = 0; k <= SIZE; k++) {
    body += rect(originX + k * CELL, originY, 1, SIZE * CELL + 1, "#000000");
    body += rect(originX, originY + k * CELL, SIZE * CELL + 1, 1, "#000000");
  }
  for (const [mark, cell] of [
    ["x", xCell],
    ["o", oCell],
  ] as const) {
    const x = originX + (cell % SIZE) * CELL + 2;
    const y = originY + Math.floor(cell / SIZE) * CELL + 2;
    body += glyphSvg(MARK_GLYPHS[mark], x, y, 2, hexColour(pick(rng, COLOUR_NAMES)));
  }

  return pairProblem("grid", imageSize, v2Document(imageSize, body), values, a, b, operation, "v2|");
};
