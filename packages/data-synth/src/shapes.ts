import { permutation, randomInt, shuffle } from "@cppo/random";
import { reasoningResponse } from "./labelled-text";
import { COLOUR_NAMES, type ColourName, hexColour } from "./palette";
import { type FamilySampler, svgDocument } from "./problem";

export const SHAPE_KINDS = ["square", "circle", "triangle"] as const;

export function shapeSvg(
  kind: (typeof SHAPE_KINDS)[number],
  x: number,
  y: number,
  side: number,
  fill: string,
): string {
  if (kind === "square") return `<rect x="${x}" y="${y}" width="${side}" height="${side}" fill="${fill}"/>`;
  if (kind === "circle") {
    const r = side / 2;
    return `<circle cx="${x + r}" cy="${y + r}" r="${r}" fill="${fill}"/>`;
  }
  return `<polygon points="${x},${y + side} ${x + side / 2},${y} ${x + side},${y + side}" fill="${fill}"/>`;
}

/**
 * Squares, circles and triangles of two or three colours, one per cell of an invisible 4x4 layout (so
 * shapes never touch). Question `red*3?`: count the shapes of that colour (1-6), multiply by 2-5.
 *
 * @example
 * sampleShapes(mulberry32(7), 32).referenceResponse; // e.g. "<think>red=4 4*3=12</think>\\boxed{12}"
 */
export const sampleShapes: FamilySampler = (rng, imageSize) => {
  const colourCount = randomInt(rng, 2, 3);
  const colours = shuffle(COLOUR_NAMES, rng).slice(0, colourCount);
  const target = colours[0] as ColourName;
  const counts = colours.map((_, i) => (i === 0 ? randomInt(rng, 1, 6) : randomInt(rng, 1, 4)));
  const factor = randomInt(rng, 2, 5);
  const values: Record<string, number> = {};
  colours.forEach((colour, i) => {
    values[colour] = counts[i] as number;
  });

  const cell = Math.floor(imageSize / 4);
  const origin = Math.floor((imageSize - 4 * cell) / 2);
  const gap = Math.max(1, Math.round(cell / 8));
  const side = cell - 2 * gap;
  const total = counts.reduce((s, c) => s + c, 0);
  const cells = permutation(16, rng).slice(0, total);
  let body = "";
  let next = 0;
  colours.forEach((colour, i) => {
    for (let n = 0; n < (counts[i] as number); n++) {
      const index = cells[next++] as number;
      const x = origin + (index % 4) * cell + gap;
      const y = origin + Math.floor(index / 4) * cell + gap;
      body += shapeSvg(SHAPE_KINDS[randomInt(rng, 0, 2)] ?? "square", x, y, side, hexColour(colour));
    }
  });

  const count = counts[0] as number;
  const question = `${target}*${factor}?`;
  const groundTruth = String(count * factor);
  const response = reasoningResponse([[target, count]], `${count}*${factor}=${groundTruth}`, groundTruth);
  return {
    family: "shapes",
    imageSize,
    question,
    values,
    key: `shapes|${question}|${target}=${count}`,
    svg: svgDocument(imageSize, body),
    referenceResponse: response.text,
    perceptionLabels: response.labels,
    groundTruth,
  };
};
