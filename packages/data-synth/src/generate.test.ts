import { mulberry32 } from "@cppo/random";
import { describe, expect, it } from "vitest";
import {
  BLACK,
  countBlobs,
  decodePng,
  isColour,
  pixel,
  pixelsOf,
  type RgbImage,
  WHITE,
} from "../test/pixels";
import { generateProblem, type SynthExample, sampleProblem } from "./generate";
import { COLOUR_NAMES, PALETTE } from "./palette";
import { labelPerception } from "./perception-labels";
import { SYNTH_FAMILIES, type SynthFamily } from "./problem";

const QUESTION_GRAMMAR: Partial<Record<SynthFamily, RegExp>> = {
  bars: /^(?:([a-z]+)([+-])([a-z]+)|taller:([a-z]+),([a-z]+))\?$/,
  shapes: /^([a-z]+)\*([2-5])\?$/,
  grid: /^row([*+])col\?$/,
  segments: /^top([+-])bottom\?$/,
};

function question(example: SynthExample): string {
  expect(example.prompt.startsWith("<image>\n")).toBe(true);
  return example.prompt.slice("<image>\n".length);
}

/** The names read from the image, in response order, and the answer, derived from the question and values alone. */
function expectedReadingsAndAnswer(example: SynthExample): { names: string[]; answer: string } {
  const q = question(example);
  const m = (QUESTION_GRAMMAR[example.family] as RegExp).exec(q);
  expect(m, `question ${q} fits the ${example.family} grammar`).not.toBeNull();
  const match = m as RegExpExecArray;
  const v = example.values;
  const at = (name: string) => {
    expect(v[name], `values has ${name}`).toBeTypeOf("number");
    return v[name] as number;
  };
  switch (example.family) {
    case "bars": {
      if (match[4] !== undefined) {
        const [a, b] = [match[4], match[5] as string];
        return { names: [a, b], answer: at(a) > at(b) ? a : b };
      }
      const [a, op, b] = [match[1] as string, match[2], match[3] as string];
      return { names: [a, b], answer: String(op === "+" ? at(a) + at(b) : at(a) - at(b)) };
    }
    case "shapes": {
      const colour = match[1] as string;
      return { names: [colour], answer: String(at(colour) * Number(match[2])) };
    }
    case "grid":
      return {
        names: ["row", "col"],
        answer: String(match[1] === "*" ? at("row") * at("col") : at("row") + at("col")),
      };
    case "segments":
      return {
        names: ["top", "bottom"],
        answer: String(match[1] === "+" ? at("top") + at("bottom") : at("top") - at("bottom")),
      };
    default:
      throw new Error(`not a version 1 family: ${example.family}`);
  }
}

function checkTextAndLabels(example: SynthExample): void {
  const { names, answer } = expectedReadingsAndAnswer(example);
  const response = example.referenceResponse;
  const shape = /^<think>(.*)<\/think>\\boxed\{([^}]*)\}$/.exec(response);
  expect(shape, response).not.toBeNull();
  expect(shape?.[2]).toBe(example.groundTruth);
  expect(example.groundTruth).toBe(answer);

  const expected = new Uint8Array(response.length);
  for (const name of names) {
    const written = `${name}=${example.values[name]}`;
    const start = response.indexOf(written);
    expect(start, `${written} in ${response}`).toBeGreaterThan(0);
    expected.fill(1, start + name.length + 1, start + written.length);
  }
  expect(example.perceptionLabels.length).toBe(response.length);
  expect([...example.perceptionLabels]).toEqual([...expected]);
  expect([...labelPerception(response, example.values)]).toEqual([...expected]);
}

function rowsWhere(image: RgbImage, x: number, rgb: readonly number[]): number[] {
  const rows: number[] = [];
  for (let y = 0; y < image.height; y++) if (isColour(image, x, y, rgb)) rows.push(y);
  return rows;
}

function constantSpacing(positions: number[]): number {
  const gaps = positions.slice(1).map((p, i) => p - (positions[i] as number));
  expect(new Set(gaps).size, `even spacing of ${positions}`).toBe(1);
  return gaps[0] as number;
}

function boundingBox(points: Array<[number, number]>) {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  return { minX: Math.min(...xs), maxX: Math.max(...xs), minY: Math.min(...ys), maxY: Math.max(...ys) };
}

/** Measures the values back out of the pixels, with no knowledge of the generator's layout constants. */
function measure(example: SynthExample, image: RgbImage): Record<string, number> {
  const size = image.width;
  const out: Record<string, number> = {};
  switch (example.family) {
    case "bars": {
      const ticks = rowsWhere(image, 1, BLACK);
      expect(ticks.length).toBe(10);
      const unit = constantSpacing(ticks);
      const baseline = ticks[ticks.length - 1] as number;
      for (const name of COLOUR_NAMES) {
        const points = pixelsOf(image, PALETTE[name]);
        if (points.length === 0) continue;
        const box = boundingBox(points);
        const height = box.maxY - box.minY + 1;
        expect(points.length, `${name} bar is a solid rectangle`).toBe(height * (box.maxX - box.minX + 1));
        expect(box.maxY + 1, `${name} bar stands on the baseline`).toBe(baseline);
        expect(height % unit).toBe(0);
        out[name] = height / unit;
      }
      return out;
    }
    case "shapes": {
      for (const name of COLOUR_NAMES) {
        const blobs = countBlobs(image, PALETTE[name]);
        if (blobs > 0) out[name] = blobs;
      }
      return out;
    }
    case "grid": {
      const fullColumns: number[] = [];
      for (let x = 0; x < size; x++) if (rowsWhere(image, x, BLACK).length > size / 2) fullColumns.push(x);
      const fullRows: number[] = [];
      for (let y = 0; y < size; y++) {
        let black = 0;
        for (let x = 0; x < size; x++) if (isColour(image, x, y, BLACK)) black++;
        if (black > size / 2) fullRows.push(y);
      }
      expect(fullColumns.length).toBe(fullRows.length);
      const marked: Array<[number, number]> = [];
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          if (!isColour(image, x, y, BLACK) && !isColour(image, x, y, WHITE)) marked.push([x, y]);
        }
      }
      expect(marked.length).toBeGreaterThan(0);
      const box = boundingBox(marked);
      const cx = (box.minX + box.maxX) / 2;
      const cy = (box.minY + box.maxY) / 2;
      out.size = fullColumns.length - 1;
      out.col = fullColumns.filter((x) => x < cx).length;
      out.row = fullRows.filter((y) => y < cy).length;
      return out;
    }
    case "segments": {
      const ticks: number[] = [];
      for (let x = 0; x < size; x++) if (isColour(image, x, size - 1, BLACK)) ticks.push(x);
      expect(ticks.length).toBe(10);
      const unit = constantSpacing(ticks);
      const segments: Array<{ minY: number; length: number; start: number }> = [];
      for (const name of COLOUR_NAMES) {
        const points = pixelsOf(image, PALETTE[name]);
        if (points.length === 0) continue;
        const box = boundingBox(points);
        const length = box.maxX - box.minX + 1;
        expect(points.length).toBe(length * (box.maxY - box.minY + 1));
        expect(length % unit).toBe(0);
        segments.push({ minY: box.minY, length: length / unit, start: box.minX });
      }
      expect(segments.length).toBe(2);
      segments.sort((a, b) => a.minY - b.minY);
      for (const segment of segments) expect((segment.start - (ticks[0] as number)) % unit).toBe(0);
      out.top = segments[0]?.length as number;
      out.bottom = segments[1]?.length as number;
      return out;
    }
    default:
      throw new Error(`not a version 1 family: ${example.family}`);
  }
}

describe.each(SYNTH_FAMILIES)("family %s", (family) => {
  it.each([32, 48])(
    "draws the values into a %i px RGB image and labels exactly the read characters",
    async (imageSize) => {
      for (let seed = 0; seed < 30; seed++) {
        const example = await generateProblem(family, seed, { imageSize });
        expect(example.family).toBe(family);
        checkTextAndLabels(example);
        expect(example.images.length).toBe(1);
        const image = await decodePng(example.images[0] as Uint8Array);
        expect([image.width, image.height, image.channels]).toEqual([imageSize, imageSize, 3]);
        expect(measure(example, image)).toEqual(example.values);
        for (const value of Object.values(example.values)) expect(value >= 1 && value <= 9).toBe(true);
      }
    },
  );

  it("renders at the smallest size, 16 px", async () => {
    const example = await generateProblem(family, 3, { imageSize: 16 });
    const image = await decodePng(example.images[0] as Uint8Array);
    expect([image.width, image.height, image.channels]).toEqual([16, 16, 3]);
    expect(pixel(image, 0, 0).length).toBe(3);
    checkTextAndLabels(example);
  });

  it("is deterministic by seed, from a number or from an Rng in the same state", async () => {
    const a = await generateProblem(family, 11);
    const b = await generateProblem(family, 11);
    const c = await generateProblem(family, mulberry32(11));
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    const keys = new Set(Array.from({ length: 20 }, (_, seed) => sampleProblem(family, seed).key));
    expect(keys.size).toBeGreaterThan(5);
  });
});

describe("generateProblem and sampleProblem errors", () => {
  it("rejects an unknown family and a bad imageSize with a message naming them", async () => {
    expect(() => sampleProblem("pies" as SynthFamily, 0)).toThrow(
      /unknown family "pies" for version 1.*bars, shapes, grid, segments/,
    );
    await expect(generateProblem("bars", 0, { imageSize: 15 })).rejects.toThrow(
      /imageSize must be an integer from 16/,
    );
    await expect(generateProblem("bars", 0, { imageSize: 20.5 })).rejects.toThrow(/imageSize.*got 20.5/);
  });
});
