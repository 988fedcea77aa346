/**
 * A GitHub-flavoured Markdown table: a header row, the alignment row, one line per row. Pipes inside
 * cells are escaped; missing cells are blank. `align` gives "l" or "r" per column (default left).
 *
 * @example
 * formatMarkdownTable([{ method: "GRPO", acc: "37.8" }], { align: ["l", "r"] });
 * // | method | acc |
 * // | --- | ---: |
 * // | GRPO | 37.8 |
 */
export function formatMarkdownTable(
  rows: ReadonlyArray<Record<string, string | number>>,
  opts: { columns?: string[]; align?: Array<"l" | "r"> } = {},
): string {
  const columns = opts.columns ?? [...new Set(rows.flatMap((row) => Object.keys(row)))];
  if (columns.length === 0) throw new Error("formatMarkdownTable: a table needs at least one column");
  const cell = (value: string | number | undefined) => String(value ?? "").replace(/\|/g, "\\|");
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  const rule = columns.map((_, i) => (opts.align?.[i] === "r" ? "---:" : "---"));
  return [line(columns.map(cell)), line(rule), ...rows.map((row) => line(columns.map((c) => cell(row[c]))))]
    .join("\n")
    .concat("\n");
}
