/**
 * The lesson report: what the tests measured on the learner's own code, beside the reference solution's
 * numbers from the kata's calibration file — at the same seed, and over the calibration seeds — with a
 * mark where the learner's value falls outside the reference range.
 *
 * @example Usage
 * ```ts
 * import { lessonReport } from "./lesson.ts";
 * import { makeStyle } from "./style.ts";
 * const calibration = { kata: "06-x", backend: "wasm", seeds: [1, 2], measures: { "R²": [0.63, 0.87] }, defaultSeed: { seed: 42, measures: { "R²": 0.8 } } };
 * console.log(lessonReport([{ label: "R²", value: 0.79 }], calibration, 42, makeStyle(false)));
 * ```
 * @module
 */
import {
  type Calibration,
  formatNumber,
  formatSeeds,
  referenceRange,
  storedValue,
} from "../catalog/calibration.ts";
import type { Style } from "./style.ts";
import type { Measure } from "./test_output.ts";

/**
 * Where a value falls against a range: inside, above or below it, compared at the precision the
 * calibration file stores (an exact reproduction of a deterministic reference value is inside).
 *
 * @example Usage
 * ```ts
 * import { placement } from "./lesson.ts";
 * console.log(placement(5, { min: 1, max: 3 })); // "above"
 * console.log(placement(9.550912345, { min: 9.55091, max: 9.55091 })); // "inside"
 * ```
 * @param value The learner's value.
 * @param range The reference range.
 * @returns The placement.
 */
export function placement(value: number, range: { min: number; max: number }): "inside" | "above" | "below" {
  const stored = storedValue(value);
  return stored > range.max ? "above" : stored < range.min ? "below" : "inside";
}

/**
 * Renders the lesson report.
 *
 * @example Usage
 * ```ts
 * import { lessonReport } from "./lesson.ts";
 * import { makeStyle } from "./style.ts";
 * console.log(lessonReport([], undefined, 42, makeStyle(false)).includes("nothing measured yet")); // true
 * ```
 * @param measures What this run's tests measured (the last value of each label counts).
 * @param calibration The kata's calibration, if it has one.
 * @param seed The seed this run used.
 * @param style Colours.
 * @returns The report, several lines.
 */
export function lessonReport(
  measures: Measure[],
  calibration: Calibration | undefined,
  seed: number,
  style: Style,
): string {
  const values = new Map(measures.map((m) => [m.label, m.value]));
  if (values.size === 0) {
    const waiting = calibration ? Object.keys(calibration.measures).length : 0;
    return `${style.bold("Lesson report:")} nothing measured yet${
      waiting ? ` — ${waiting} measurements appear as your code gets through the tests that take them` : ""
    }.`;
  }
  const atSeed = calibration && calibration.defaultSeed.seed === seed;
  const seeds = calibration
    ? formatSeeds([...new Set([...calibration.seeds, ...(atSeed ? [seed] : [])])].sort((a, b) => a - b))
    : "";
  const rows: string[][] = [[
    "measurement",
    `yours (seed ${seed})`,
    ...(atSeed ? [`reference, seed ${seed}`] : []),
    `reference, seeds ${seeds || "—"}`,
  ]];
  const marks: string[] = [];
  for (const [label, value] of values) {
    const range = calibration ? referenceRange(calibration, label, atSeed) : undefined;
    const reference = calibration?.defaultSeed.measures[label];
    const where = range ? placement(value, range) : "inside";
    marks.push(
      where === "inside"
        ? ""
        : where === "above"
        ? "▲ above the reference range"
        : "▼ below the reference range",
    );
    rows.push([
      label,
      formatNumber(value),
      ...(atSeed ? [typeof reference === "number" ? formatNumber(reference) : "—"] : []),
      range ? `${formatNumber(range.min)} to ${formatNumber(range.max)}` : "no reference yet",
    ]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const lines = rows.map((row, r) => {
    const text = "  " +
      row.map((cell, c) => c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])).join("   ");
    if (r === 0) return style.dim(text);
    const mark = marks[r - 1];
    return mark ? `${text}   ${style.yellow(mark)}` : text;
  });
  const source = calibration
    ? `reference solution, ${calibration.backend} backend, from calibration.json`
    : "this kata has no calibration.json yet";
  const legend = marks.some(Boolean)
    ? `\n${
      style.dim(
        "  ▲/▼: outside the reference's range over seeds. Close to the reference is the aim, not equal: another " +
          "correct method may land elsewhere in the range.",
      )
    }`
    : "";
  return `${style.bold("Lesson report")} ${style.dim(`(your code's numbers; ${source})`)}\n${
    lines.join("\n")
  }${legend}`;
}
