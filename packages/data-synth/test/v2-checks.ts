import { expect } from "vitest";
import { generateProblem, type SynthExample } from "../src/generate";
import { COLOUR_NAMES } from "../src/palette";
import { labelPerception } from "../src/perception-labels";
import type { SynthFamily } from "../src/problem";
import { decodePng, isColour, type RgbImage, WHITE } from "./pixels";

/** What a v2 family may ask: the names of the values it reads, its arithmetic operators and its comparison word. */
export interface PairGrammar {
  names: readonly string[];
  operators: readonly string[];
  compare?: string;
}

/**
 * Checks a v2 example's text against the grammar and its values, with the answer and the perception labels
 * derived here from the question and the values alone.
 */
export function checkPairText(example: SynthExample, grammar: PairGrammar): void {
  expect(example.prompt.startsWith("<image>\n")).toBe(true);
  const question = example.prompt.slice("<image>\n".length);
  for (const colour of COLOUR_NAMES) expect(question.includes(colour), question).toBe(false);
  const name = `(${grammar.names.join("|")})`;
  const ops = grammar.operators.map((op) => `\\${op}`).join("");
  const arithmetic = new RegExp(`^${name}([${ops}])${name}\\?$`).exec(question);
  const comparison = grammar.compare
    ? new RegExp(`^${grammar.compare}:${name},${name}\\?$`).exec(question)
    : null;
  expect(arithmetic ?? comparison, `question ${question} fits the ${example.family} grammar`).not.toBeNull();
  const [a, b] = arithmetic ? [arithmetic[1], arithmetic[3]] : [comparison?.[1], comparison?.[2]];
  expect(a).not.toBe(b);
  const va = example.values[a as string] as number;
  const vb = example.values[b as string] as number;
  let answer: string;
  if (arithmetic) {
    const op = arithmetic[2];
    answer = String(op === "+" ? va + vb : op === "-" ? va - vb : va * vb);
  } else {
    expect(va).not.toBe(vb);
    answer = va > vb ? (a as string) : (b as string);
  }
  expect(example.groundTruth).toBe(answer);
  const response = example.referenceResponse;
  const shape = /^<think>(.*)<\/think>\\boxed\{([^}]*)\}$/.exec(response);
  expect(shape, response).not.toBeNull();
  expect(shape?.[2]).toBe(answer);

  const expected = new Uint8Array(response.length);
  for (const n of [a, b] as string[]) {
    const written = `${n}=${example.values[n]}`;
    const start = response.indexOf(written);
    expect(start, `${written} in ${response}`).toBeGreaterThan(0);
    expected.fill(1, start + n.length + 1, start + written.length);
  }
  expect([...example.perceptionLabels]).toEqual([...expected]);
  expect([...labelPerception(response, example.values)]).toEqual([...expected]);
}

/** Every non-white pixel lies inside [4, 60] of the 64-unit canvas, so a 10 degree rotation keeps it in frame. */
export function checkMargins(image: RgbImage): void {
  const scale = image.width / 64;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      if (isColour(image, x, y, WHITE)) continue;
      expect(x >= 4 * scale && x < 61 * scale && y >= 4 * scale && y < 61 * scale, `ink at ${x},${y}`).toBe(
        true,
      );
    }
  }
}

/**
 * Generates `count` problems of a v2 family at `imageSize` and hands each one, decoded, to `check`; returns
 * the examples so the caller can look at the spread of values.
 */
export async function forEachV2Example(
  family: SynthFamily,
  imageSize: number,
  count: number,
  check: (example: SynthExample, image: RgbImage) => void,
): Promise<SynthExample[]> {
  const examples: SynthExample[] = [];
  for (let seed = 0; seed < count; seed++) {
    const example = await generateProblem(family, seed, { version: 2, imageSize });
    expect(example.family).toBe(family);
    const image = await decodePng(example.images[0] as Uint8Array);
    expect([image.width, image.height, image.channels]).toEqual([imageSize, imageSize, 3]);
    checkMargins(image);
    check(example, image);
    examples.push(example);
  }
  return examples;
}
