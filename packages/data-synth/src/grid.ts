import { pick, randomInt } from "@cppo/random";
import { reasoningResponse } from "./labelled-text";
import { COLOUR_NAMES, hexColour } from "./palette";
import { type FamilySampler, rect, svgDocument } from "./problem";

/**
 * A 3x3 or 4x4 grid of black lines with one filled cell. Questions: `row*col?`, `row+col?` (1-based, row 1
 * at the top, column 1 at the left).
 *
 * @example
 * sampleGrid(mulberry32(7), 32).referenceResponse; // e.g. "<think>row=2 col=3 2*3=6</think>\\boxed{6}"
 */
export const sampleGrid: FamilySampler = (rng, imageSize) => {
  const size = randomInt(rng, 3, 4);
  const row = randomInt(rng, 1, size);
  const col = randomInt(rng, 1, size);
  const operation = pick(rng, ["*", "+"] as const);
  const colour = pick(rng, COLOUR_NAMES);

  const cell = Math.floor((imageSize - 1) / size);
  const origin = Math.floor((imageSize - (size * cell + 1)) / 2);
  let body = "";
  for (let k = 0; k <= size; k++) {
    body += rect(origin + k * cell, origin, 1, size * cell + 1, "#000000");
    body += rect(origin, origin + k * cell, size * cell + 1, 1, "#000000");
  }
  const margin = cell >= 6 ? Math.floor(cell / 6) : 0;
  const inner = cell - 1 - 2 * margin;
  body += rect(
    origin + (col - 1) * cell + 1 + margin,
    origin + (row - 1) * cell + 1 + margin,
    inner,
    inner,
    hexColour(colour),
  );

  const question = `row${operation}col?`;
  const groundTruth = String(operation === "*" ? row * col : row + col);
  const response = reasoningResponse(
    [
      ["row", row],
      ["col", col],
    ],
    `${row}${operation}${col}=${groundTruth}`,
    groundTruth,
  );
  return {
    family: "grid",
    imageSize,
    question,
    values: { size, row, col },
    key: `grid|${question}|row=${row},col=${col}`,
    svg: svgDocument(imageSize, body),
    referenceResponse: response.text,
    perceptionLabels: response.labels,
    groundTruth,
  };
};
