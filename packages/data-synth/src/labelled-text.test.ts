import { describe, expect, it } from "vitest";
import { labelledText, reasoningResponse } from "./labelled-text";

describe("labelledText", () => {
  it("labels exactly the read pieces", () => {
    const { text, labels } = labelledText(["ab", { read: "7" }, "c", { read: "12" }]);
    expect(text).toBe("ab7c12");
    expect([...labels]).toEqual([0, 0, 1, 0, 1, 1]);
  });

  it("handles no pieces and empty pieces", () => {
    expect(labelledText([]).labels.length).toBe(0);
    const { text, labels } = labelledText(["", { read: "" }, "x"]);
    expect(text).toBe("x");
    expect([...labels]).toEqual([0]);
  });
});

describe("reasoningResponse", () => {
  it("writes the paper-style response and labels only the first mention of each reading", () => {
    const { text, labels } = reasoningResponse(
      [
        ["red", 4],
        ["blue", 7],
      ],
      "4+7=11",
      "11",
    );
    expect(text).toBe("<think>red=4 blue=7 4+7=11</think>\\boxed{11}");
    const expected = new Array(text.length).fill(0);
    expected["<think>red=".length] = 1;
    expected["<think>red=4 blue=".length] = 1;
    expect([...labels]).toEqual(expected);
  });
});
