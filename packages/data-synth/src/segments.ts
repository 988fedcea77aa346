import { pick, randomInt, shuffle } from "@cppo/random";
import { reasoningResponse } from "./labelled-text";
import { COLOUR_NAMES, hexColour } from "./palette";
import { type FamilySampler, rect, svgDocument } from "./problem";

/**
 * Pixels per unit of segment length: nine units fit across the image with a margin.
 *
 * @example
 * segmentUnit(48); // 4
 */
export function segmentUnit(imageSize: number): number {
  return Math.floor((imageSize - 4) / 9);
}

/**
 * Two thick horizontal segments (top and bottom) of integer lengths 1-9 units, starting on unit marks of
 * a ruler drawn along the bottom edge. Questions: `top+bottom?`, `top-bottom?` (signed).
 *
 * @example
 * sampleSegments(mulberry32(7), 32).referenceResponse; // e.g. "<think>top=5 bottom=3 5-3=2</think>\\boxed{2}"
 */
export const sampleSegments: FamilySampler = (rng, imageSize) => {
  const top = randomInt(rng, 1, 9);
  const bottom = randomInt(rng, 1, 9);
  const operation = pick(rng, ["+", "-"] as const);
  const [topColour, bottomColour] = shuffle(COLOUR_NAMES, rng).slice(0, 2) as [
    (typeof COLOUR_NAMES)[number],
    (typeof COLOUR_NAMES)[number],
  ];
  const topStart = randomInt(rng, 0, 9 - top);
  const bottomStart = randomInt(rng, 0, 9 - bottom);

  const unit = segmentUnit(imageSize);
  const x0 = Math.floor((imageSize - 9 * unit) / 2);
  const thickness = Math.max(2, Math.floor(imageSize / 8));
  const rulerY = imageSize - 3;
  let body = rect(x0, rulerY, 9 * unit + 1, 1, "#000000");
  for (let k = 0; k <= 9; k++) body += rect(x0 + k * unit, rulerY + 1, 1, 2, "#000000");
  body += rect(
    x0 + topStart * unit,
    Math.floor(imageSize * 0.15),
    top * unit,
    thickness,
    hexColour(topColour),
  );
  body += rect(
    x0 + bottomStart * unit,
    Math.floor(imageSize * 0.5),
    bottom * unit,
    thickness,
    hexColour(bottomColour),
  );

  const question = `top${operation}bottom?`;
  const groundTruth = String(operation === "+" ? top + bottom : top - bottom);
  const response = reasoningResponse(
    [
      ["top", top],
      ["bottom", bottom],
    ],
    `${top}${operation}${bottom}=${groundTruth}`,
    groundTruth,
  );
  return {
    family: "segments",
    imageSize,
    question,
    values: { top, bottom },
    key: `segments|${question}|top=${top},bottom=${bottom}`,
    svg: svgDocument(imageSize, body),
    referenceResponse: response.text,
    perceptionLabels: response.labels,
    groundTruth,
  };
};
