import { displayWidth } from "./display-width";
import { formatNumber } from "./format-number";

export type TableCell = string | number | null | undefined;

export type TableOptions = {
  /** Columns in order; default every key in the order first seen. */
  columns?: string[];
  /** Significant digits for non-integer numbers. Default 4. */
  digits?: number;
};

/**
 * Lays rows out as an aligned plain-text table for the terminal: a header, a rule, then one line per row.
 * Columns holding only numbers (and blanks) are right-aligned, others left-aligned; missing or null cells
 * are blank; widths count terminal columns (CJK and emoji take two); columns are two spaces apart and lines carry no trailing spaces.
 *
 * @example
 * formatTable([{ method: "grpo", acc: 0.378 }, { method: "cppo", acc: 0.4 }]);
 * // method  acc
 * // ------  -----
 * // grpo    0.378
 * // cppo      0.4
 */
export function formatTable(rows: Array<Record<string, TableCell>>, opts: TableOptions = {}): string {
  const { digits = 4 } = opts;
  if (!Array.isArray(rows))
    throw new Error(`formatTable: rows must be an array of objects, got ${typeof rows}`);
  const columns = opts.columns ?? [...new Set(rows.flatMap((row) => Object.keys(row)))];
  if (columns.length === 0) return "";
  const cells = rows.map((row, r) =>
    columns.map((column) => {
      const value = row[column];
      if (value === null || value === undefined) return "";
      if (typeof value === "number") return formatNumber(value, digits);
      if (typeof value === "string") return value.replace(/\r?\n/g, " ");
      throw new Error(`formatTable: rows[${r}].${column} must be a string or number, got ${typeof value}`);
    }),
  );
  const numeric = columns.map((column) =>
    rows.every((row) => row[column] === null || row[column] === undefined || typeof row[column] === "number"),
  );
  const widths = columns.map((column, c) =>
    Math.max(displayWidth(column), ...cells.map((line) => displayWidth(line[c] ?? ""))),
  );
  const render = (line: string[]) =>
    line
      .map((text, c) => {
        const padding = " ".repeat((widths[c] ?? 0) - displayWidth(text));
        return numeric[c] ? padding + text : text + padding;
      })
      .join("  ")
      .trimEnd();
  const rule = widths.map((width) => "-".repeat(width));
  return [render(columns), rule.join("  "), ...cells.map(render)].join("\n");
}
