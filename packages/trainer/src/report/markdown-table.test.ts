import { describe, expect, it } from "vitest";
import { formatMarkdownTable } from "./markdown-table";

describe("formatMarkdownTable", () => {
  it("writes header, alignment row and rows, escaping pipes and blanking missing cells", () => {
    const table = formatMarkdownTable(
      [
        { method: "GRPO", acc: 37.8 },
        { method: "a|b", note: "x" },
      ],
      { align: ["l", "r"] },
    );
    expect(table).toBe(
      ["| method | acc | note |", "| --- | ---: | --- |", "| GRPO | 37.8 |  |", "| a\\|b |  | x |", ""].join(
        "\n",
      ),
    );
  });

  it("keeps the given column order and rejects an empty table", () => {
    expect(formatMarkdownTable([{ a: 1, b: 2 }], { columns: ["b", "a"] }).split("\n")[0]).toBe("| b | a |");
    expect(() => formatMarkdownTable([])).toThrow(/at least one column/);
  });
});
