/**
 * Markdown tables for what the tools print (grading, verify, calibration, benchmarks, demos, the home
 * screen): the one place that builds them, escapes `|` inside cells and, when asked, pads the columns so the
 * table also reads well as plain text.
 *
 * @example Usage
 * ```ts
 * import { markdownTable } from "@lib/console/markdown_table.ts";
 * console.log(markdownTable(["kata", "points"], [["01", "10/10"]]));
 * // | kata | points |
 * // |---|---|
 * // | 01 | 10/10 |
 * ```
 * @module
 */

/** How to lay a table out. */
export interface TableOptions {
  /** Right-align the columns after the first (numbers). */
  numeric?: boolean;
  /** Pad every column to its widest cell. */
  aligned?: boolean;
}

/**
 * A markdown table of `rows` under `header`.
 *
 * @example Usage
 * ```ts
 * import { markdownTable } from "@lib/console/markdown_table.ts";
 * console.log(markdownTable(["a", "b"], [["x|y", "1"]], { numeric: true, aligned: true }));
 * // | a    |   b |
 * // | ---- | --: |
 * // | x\|y |   1 |
 * ```
 * @param header The column names.
 * @param rows The rows, one cell per column (values are turned into text).
 * @param options Alignment and padding.
 * @returns The table, one line per row.
 */
export function markdownTable(
  header: string[],
  rows: (string | number)[][],
  options: TableOptions = {},
): string {
  const cells = [header, ...rows].map((row) => row.map((cell) => String(cell).replaceAll("|", "\\|")));
  const widths = header.map((_, c) =>
    options.aligned ? Math.max(3, ...cells.map((r) => (r[c] ?? "").length)) : 3
  );
  const right = (c: number) => options.numeric && c > 0;
  const pad = (text: string, c: number) =>
    options.aligned ? (right(c) ? text.padStart(widths[c]) : text.padEnd(widths[c])) : text;
  const line = (row: string[]) => `| ${header.map((_, c) => pad(row[c] ?? "", c)).join(" | ")} |`;
  const rule = options.aligned
    ? `| ${widths.map((w, c) => right(c) ? `${"-".repeat(w - 1)}:` : "-".repeat(w)).join(" | ")} |`
    : `|${header.map((_, c) => right(c) ? "---:" : "---").join("|")}|`;
  return [line(cells[0]), rule, ...cells.slice(1).map(line)].join("\n");
}
