import { describe, expect, it } from "vitest";
import { labelPerception, tokenPerceptionLabels } from "./perception-labels";

describe("labelPerception", () => {
  it("labels the first written value of each image-derived name, right or wrong", () => {
    const response = "<think>red=5 blue=7 5+7=12</think>\\boxed{12}";
    const labels = labelPerception(response, { red: 4, blue: 7, green: 2 });
    const expected = new Array(response.length).fill(0);
    expected[11] = 1;
    expected[18] = 1;
    expect([...labels]).toEqual(expected);
  });

  it("ignores names not in values, repeats, and responses outside the grammar", () => {
    expect([...labelPerception("row=2 row=3 x=4", { row: 2 })]).toEqual([
      0,
      0,
      0,
      0,
      1,
      ...new Array(10).fill(0),
    ]);
    expect([...labelPerception("no values here", { red: 1 })]).toEqual(new Array(14).fill(0));
    expect(labelPerception("", { red: 1 }).length).toBe(0);
    expect([...labelPerception("constructor=1", {})]).toEqual(new Array(13).fill(0));
  });

  it("labels every digit of a multi-digit or negative value", () => {
    expect([...labelPerception("a=-12", { a: -12 })]).toEqual([0, 0, 1, 1, 1]);
  });
});

describe("tokenPerceptionLabels", () => {
  it("marks a token when any of its characters is labelled", () => {
    const chars = new Uint8Array([0, 0, 1, 0, 1, 1, 0]);
    expect([
      ...tokenPerceptionLabels(chars, [
        [0, 2],
        [2, 3],
        [3, 4],
        [4, 6],
        [6, 7],
      ]),
    ]).toEqual([0, 1, 0, 1, 0]);
    expect(tokenPerceptionLabels(chars, []).length).toBe(0);
  });

  it("rejects spans outside the labels", () => {
    expect(() => tokenPerceptionLabels(new Uint8Array(3), [[2, 4]])).toThrow(
      /offsets\[0\] = \[2, 4\].*\[0, 3\]/,
    );
    expect(() => tokenPerceptionLabels(new Uint8Array(3), [[2, 1]])).toThrow(/offsets\[0\]/);
  });
});
