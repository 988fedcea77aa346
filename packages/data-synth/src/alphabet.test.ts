import { describe, expect, it } from "vitest";
import { SYNTH_ALPHABET, SYNTH_SPECIAL_PIECES, SYNTH_V2_ALPHABET } from "./alphabet";
import { sampleSplitProblem } from "./dataset";
import { SYNTH_FAMILIES, SYNTH_V2_FAMILIES } from "./problem";

describe("SYNTH_ALPHABET", () => {
  it("covers every character of thousands of prompts and responses, and nothing outside printable ASCII and newline", () => {
    const alphabet = new Set(SYNTH_ALPHABET);
    expect(alphabet.size).toBe(SYNTH_ALPHABET.length);
    for (const ch of SYNTH_ALPHABET)
      expect(ch === "\n" || (ch >= " " && ch <= "~"), JSON.stringify(ch)).toBe(true);
    const used = new Set<string>();
    for (const split of ["train", "test"] as const) {
      for (let i = 0; i < 2000; i++) {
        const problem = sampleSplitProblem(split, 3, i, SYNTH_FAMILIES[i % 4] ?? "bars", 32);
        for (const ch of `<image>\n${problem.question}${problem.referenceResponse}`) used.add(ch);
      }
    }
    for (const ch of used) expect(alphabet.has(ch), `${JSON.stringify(ch)} in SYNTH_ALPHABET`).toBe(true);
    // Nothing listed that never shows up (digits all appear; every colour name appears).
    for (const ch of alphabet) expect(used.has(ch), `${JSON.stringify(ch)} is used`).toBe(true);
    for (const piece of SYNTH_SPECIAL_PIECES) for (const ch of piece) expect(alphabet.has(ch)).toBe(true);
  });
});

describe("SYNTH_V2_ALPHABET", () => {
  it("covers every character of version 2's prompts and responses, and lists none they never use", () => {
    const alphabet = new Set(SYNTH_V2_ALPHABET);
    expect(alphabet.size).toBe(SYNTH_V2_ALPHABET.length);
    const used = new Set<string>();
    for (const split of ["train", "test"] as const) {
      for (let i = 0; i < 2000; i++) {
        const family = SYNTH_V2_FAMILIES[i % 4] ?? "bars";
        const problem = sampleSplitProblem(split, 3, i, family, 64, 2);
        for (const ch of `<image>\n${problem.question}${problem.referenceResponse}`) used.add(ch);
      }
    }
    expect([...used].sort()).toEqual([...alphabet].sort());
  });
});
