import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { ADVERSARIAL } from "../test/adversarial-inputs";
import { extractBoxed } from "./extract-boxed";
import { gradeAnswer } from "./grade-answer";
import { normalizeAnswer } from "./normalize";
import { evaluateExpression } from "./parse-expression";
import { formatReward, mathReward } from "./rewards";

const LATEX_PIECE = fc.constantFrom(
  "\\boxed{",
  "\\fbox",
  "\\frac",
  "\\dfrac",
  "\\sqrt",
  "\\sqrt[",
  "\\text{",
  "\\left(",
  "\\right)",
  "\\{",
  "\\}",
  "{",
  "}",
  "(",
  ")",
  "[",
  "]",
  ",",
  "^",
  "^\\circ",
  "\\%",
  "=",
  "/",
  "-",
  ".",
  "1",
  "2",
  "9",
  "x",
  "A",
  " cm",
  "\\pi",
  "\\cdot",
  "\\,",
  "\\",
  "$",
  "<think>",
  "</think>",
);
const LATEX_STRING = fc.array(LATEX_PIECE, { maxLength: 40 }).map((pieces) => pieces.join(""));
const ANY_STRING = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: "binary", maxLength: 200 }),
  LATEX_STRING,
);

describe("robustness on arbitrary strings", () => {
  it("never throws, and rewards stay in {0, 0.1, 0.9, 1}", () => {
    fc.assert(
      fc.property(ANY_STRING, ANY_STRING, (a, b) => {
        extractBoxed(a);
        normalizeAnswer(a);
        evaluateExpression(a);
        gradeAnswer(a, b);
        expect([0, 1]).toContain(formatReward(a));
        expect([0, 0.1, 0.9, 1]).toContain(mathReward(a, b));
      }),
      { numRuns: 3000, seed: 11 },
    );
  });

  it("grades every non-empty answer equal to itself", () => {
    fc.assert(
      fc.property(ANY_STRING, (a) => {
        expect(gradeAnswer(a, a)).toBe(normalizeAnswer(a) !== "");
      }),
      { numRuns: 1000, seed: 12 },
    );
  });

  it("grades an integer fraction equal to its decimal value, computed by JS division", () => {
    fc.assert(
      fc.property(fc.integer({ min: -10_000, max: 10_000 }), fc.integer({ min: 1, max: 10_000 }), (p, q) => {
        const decimal = (p / q).toPrecision(12);
        expect(gradeAnswer(`\\frac{${p}}{${q}}`, decimal)).toBe(true);
        expect(gradeAnswer(`${p}/${q}`, decimal)).toBe(true);
        expect(gradeAnswer(`\\frac{${p}}{${q}}`, ((p / q) * (1 + 1e-4) + 1e-3).toPrecision(12))).toBe(false);
      }),
      { numRuns: 500, seed: 13 },
    );
  });

  it("reads thousands separators as formatted by Intl", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2_000_000_000 }), (n) => {
        expect(gradeAnswer(n.toLocaleString("en-US"), String(n))).toBe(true);
      }),
      { numRuns: 300, seed: 14 },
    );
  });
});

describe("adversarial 10 kB inputs", () => {
  let worst = { ms: 0, input: "", call: -1 };
  afterAll(() => {
    console.info(`slowest adversarial call: ${worst.ms.toFixed(1)} ms (${worst.input}, call ${worst.call})`);
  });

  it.each(Object.entries(ADVERSARIAL))("%s returns within a generous bound", (name, text) => {
    expect(text.length).toBeGreaterThan(9_000);
    const calls: Array<() => unknown> = [
      () => extractBoxed(text),
      () => normalizeAnswer(text),
      () => evaluateExpression(text),
      () => gradeAnswer(text, `${text}1`),
      () => gradeAnswer(text, "1"),
      () => formatReward(text),
      () => mathReward(`<think></think>\\boxed{${text}}`, text),
    ];
    calls.forEach((call, k) => {
      // A retry absorbs a garbage-collection pause or a busy machine; a superlinear input fails every time.
      let best = Number.POSITIVE_INFINITY;
      for (let attempt = 0; attempt < 3 && best >= 200; attempt++) {
        const start = performance.now();
        call();
        const ms = performance.now() - start;
        if (attempt === 0 && ms > worst.ms) worst = { ms, input: name, call: k };
        best = Math.min(best, ms);
      }
      expect(best).toBeLessThan(200);
    });
  });
});
