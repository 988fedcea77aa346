import { describe, expect, it } from "vitest";
import { formatTable } from "./table";

describe("formatTable", () => {
  it("aligns text left and numbers right under a header and a rule", () => {
    const table = formatTable([
      { method: "grpo", "acc@8": 0.37812, steps: 200 },
      { method: "cppo (ours)", "acc@8": 0.4, steps: 50 },
    ]);
    expect(table.split("\n")).toEqual([
      "method        acc@8  steps",
      "-----------  ------  -----",
      "grpo         0.3781    200",
      "cppo (ours)     0.4     50",
    ]);
  });

  it("lines up every column at the same character offsets", () => {
    const rows = [
      { name: "a", value: 1 },
      { name: "bbbbbb", value: -123.456 },
      { name: "cc", value: 1e-7 },
    ];
    const lines = formatTable(rows, { digits: 3 }).split("\n");
    expect(lines).toEqual([
      "name    value",
      "------  -----",
      "a           1",
      "bbbbbb   -123",
      "cc       1e-7",
    ]);
    expect(lines.map((line) => line.length)).toEqual([13, 13, 13, 13, 13]);
  });

  it("uses the given columns and order, and leaves missing or null cells blank", () => {
    const table = formatTable(
      [
        { step: 1, loss: 0.5, note: "x" },
        { step: 10, loss: null },
      ],
      { columns: ["note", "step", "loss"] },
    );
    expect(table).toBe(["note  step  loss", "----  ----  ----", "x        1   0.5", "        10"].join("\n"));
  });

  it("counts terminal columns: two for CJK and emoji, none for combining marks", () => {
    const table = formatTable([
      { shape: "三角形", n: 1 },
      { shape: "🙂", n: 22 },
      { shape: "e\u0301", n: 3 },
    ]);
    // shape column is 6 wide (三角形), n is 2 wide (22)
    expect(table.split("\n")).toEqual([
      "shape    n",
      "------  --",
      "三角形   1",
      "🙂      22",
      "e\u0301        3",
    ]);
  });

  it("flattens newlines in text and prints non-finite numbers by name", () => {
    expect(formatTable([{ text: "a\nb", v: Number.NaN }])).toBe(
      ["text    v", "----  ---", "a b   NaN"].join("\n"),
    );
  });

  it("returns a header only for no rows with columns, and nothing with no columns", () => {
    expect(formatTable([], { columns: ["a", "bb"] })).toBe("a  bb\n-  --");
    expect(formatTable([])).toBe("");
  });

  it("names a bad cell", () => {
    expect(() => formatTable([{ a: 1 }, { a: true as unknown as number }])).toThrow(
      "formatTable: rows[1].a must be a string or number, got boolean",
    );
  });
});
