/**
 * A kata's calibration file, `katas/NN-slug/calibration.json`: every value the kata's tests report with
 * `measured()`, taken from the reference solution once per seed by `deno task calibrate NN --write`. It is
 * the one source of the "reference" numbers: the ranges written beside statistical assertions, the numbers
 * in the kata's README (`readme_numbers.ts`), and the reference ranges of the lesson report a learner sees
 * after every run.
 *
 * `seeds` (1–20) are the calibration seeds; `defaultSeed` holds the values at the seed a plain run uses
 * (`KATA_SEED` unset, 42), so that a learner's default run can be compared with the reference at the same
 * seed as well as with the spread over seeds.
 *
 * @example Usage
 * ```ts
 * import { formatNumber, referenceRange } from "./calibration.ts";
 * const calibration = {
 *   kata: "06-x", backend: "wasm", seeds: [1, 2], measures: { "R²": [0.5, 0.7] },
 *   defaultSeed: { seed: 42, measures: { "R²": 0.6 } },
 * };
 * const range = referenceRange(calibration, "R²")!;
 * console.log(formatNumber(range.min), formatNumber(range.max)); // "0.5" "0.7"
 * ```
 * @module
 */
import { join } from "node:path";

/** What `calibration.json` holds. */
export interface Calibration {
  /** The kata's slug. */
  kata: string;
  /** The tfjs backend the values were measured on. */
  backend: string;
  /** The calibration seeds, in order. */
  seeds: number[];
  /** Each measurement's value per seed, aligned with `seeds` (`null` where a seed did not report it). */
  measures: Record<string, (number | null)[]>;
  /** The values at the seed a plain run uses. */
  defaultSeed: { seed: number; measures: Record<string, number> };
}

/** A measurement's range over the calibration seeds. */
export interface Range {
  /** Smallest value. */
  min: number;
  /** Largest value. */
  max: number;
  /** Mean value. */
  mean: number;
  /** How many seeds reported it. */
  n: number;
}

/** The calibration file of a kata folder. */
export function calibrationPath(kataDir: string): string {
  return join(kataDir, "calibration.json");
}

/**
 * Reads a kata's calibration file, or `undefined` when it has none.
 *
 * @example Usage
 * ```ts
 * import { readCalibration } from "./calibration.ts";
 * console.log((await readCalibration("katas/06-batchnorm-regression"))?.seeds.length);
 * ```
 * @param kataDir The kata's folder.
 * @returns The calibration.
 * @throws {Error} When the file exists but is not a calibration file (naming the file and the fix).
 */
export async function readCalibration(kataDir: string): Promise<Calibration | undefined> {
  const path = calibrationPath(kataDir);
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  const fix = "regenerate it with `deno task calibrate NN --write`";
  let value: Calibration;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path} is not valid JSON (${(error as Error).message}); ${fix}`);
  }
  if (
    !Array.isArray(value?.seeds) || typeof value.measures !== "object" || value.measures === null ||
    typeof value.defaultSeed?.seed !== "number"
  ) {
    throw new Error(`${path} lacks "seeds", "measures" or "defaultSeed"; ${fix}`);
  }
  return value;
}

/**
 * Writes a kata's calibration file (stable formatting, one measurement per line group).
 *
 * @example Usage
 * ```ts ignore
 * import { writeCalibration } from "./calibration.ts";
 * await writeCalibration("katas/06-batchnorm-regression", calibration);
 * ```
 * @param kataDir The kata's folder.
 * @param calibration The values.
 */
export async function writeCalibration(kataDir: string, calibration: Calibration): Promise<void> {
  await Deno.writeTextFile(calibrationPath(kataDir), calibrationText(calibration));
}

/**
 * A value as `calibration.json` stores it: six significant digits, enough for any report and no float
 * noise (0.22000000000000008) in the file. Compare a fresh measurement with a stored range only after
 * rounding it the same way, or an exact reproduction of the reference falls "outside" its own range.
 *
 * @example Usage
 * ```ts
 * import { storedValue } from "./calibration.ts";
 * console.log(storedValue(9.550912345)); // 9.55091
 * ```
 * @param value A measurement.
 * @returns It to six significant digits.
 */
export function storedValue(value: number): number {
  return Number(value.toPrecision(6));
}

const rounded = (v: number | null) => v === null ? null : storedValue(v);

/**
 * The file's text: one line per measurement (its values in seed order), values to six significant digits.
 *
 * @example Usage
 * ```ts
 * import { calibrationText } from "./calibration.ts";
 * const text = calibrationText({ kata: "k", backend: "wasm", seeds: [1, 2], measures: { a: [0.1 + 0.2, null] }, defaultSeed: { seed: 42, measures: { a: 1 } } });
 * console.log(text.includes('"a": [0.3, null]')); // true
 * ```
 * @param calibration The values.
 * @returns The JSON text.
 */
export function calibrationText(calibration: Calibration): string {
  const line = (value: unknown) => JSON.stringify(value).replaceAll(",", ", ");
  const entries = (record: Record<string, unknown>) =>
    Object.entries(record).map(([k, v]) => `    ${JSON.stringify(k)}: ${line(v)}`).join(",\n");
  const measures = Object.fromEntries(
    Object.entries(calibration.measures).map(([k, vs]) => [k, vs.map(rounded)]),
  );
  const atDefault = Object.fromEntries(
    Object.entries(calibration.defaultSeed.measures).map(([k, v]) => [k, rounded(v)]),
  );
  return [
    "{",
    `  "kata": ${JSON.stringify(calibration.kata)},`,
    `  "backend": ${JSON.stringify(calibration.backend)},`,
    `  "seeds": ${line(calibration.seeds)},`,
    `  "measures": {\n${entries(measures)}\n  },`,
    `  "defaultSeed": {\n    "seed": ${calibration.defaultSeed.seed},\n    "measures": {\n${
      entries(atDefault).replaceAll(/^ {4}/gm, "      ")
    }\n    }\n  }`,
    "}",
    "",
  ].join("\n");
}

/**
 * A measurement's range over the calibration seeds (`undefined` when no seed reported it); with
 * `withDefault`, the default seed's value counts too.
 *
 * @example Usage
 * ```ts
 * import { referenceRange } from "./calibration.ts";
 * const c = { kata: "k", backend: "wasm", seeds: [1, 2], measures: { a: [1, 3] }, defaultSeed: { seed: 42, measures: { a: 5 } } };
 * console.log(referenceRange(c, "a")); // { min: 1, max: 3, mean: 2, n: 2 }
 * console.log(referenceRange(c, "a", true)?.max); // 5
 * ```
 * @param calibration The calibration.
 * @param label The measurement.
 * @param withDefault Include the default seed's value.
 * @returns The range.
 */
export function referenceRange(
  calibration: Calibration,
  label: string,
  withDefault = false,
): Range | undefined {
  const values = (calibration.measures[label] ?? []).filter((v): v is number => typeof v === "number");
  const atDefault = calibration.defaultSeed.measures[label];
  if (withDefault && typeof atDefault === "number") values.push(atDefault);
  if (values.length === 0) return undefined;
  return {
    min: Math.min(...values),
    max: Math.max(...values),
    mean: values.reduce((a, b) => a + b, 0) / values.length,
    n: values.length,
  };
}

/**
 * How many calibration seeds reported a value on the given side of `threshold`.
 *
 * @example Usage
 * ```ts
 * import { countBeyond } from "./calibration.ts";
 * const c = { kata: "k", backend: "wasm", seeds: [1, 2, 3], measures: { a: [0.1, 0.5, 0.9] }, defaultSeed: { seed: 42, measures: {} } };
 * console.log(countBeyond(c, "a", "<", 0.6)); // 2
 * ```
 * @param calibration The calibration.
 * @param label The measurement.
 * @param side `<` or `>`.
 * @param threshold The threshold.
 * @returns The count.
 */
export function countBeyond(
  calibration: Calibration,
  label: string,
  side: "<" | ">",
  threshold: number,
): number {
  return (calibration.measures[label] ?? []).filter((v) =>
    typeof v === "number" && (side === "<" ? v < threshold : v > threshold)
  ).length;
}

/**
 * A number as reports show it: three significant digits, thousands grouped from 1,000 on, and powers of
 * ten below 0.001.
 *
 * @example Usage
 * ```ts
 * import { formatNumber } from "./calibration.ts";
 * console.log(formatNumber(0.78312), formatNumber(120012), formatNumber(0.00036), formatNumber(-55.52)); // "0.783" "120,012" "3.6e-4" "-55.5"
 * ```
 * @param value The number.
 * @returns Its text.
 */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString("en-US");
  if (abs !== 0 && abs < 0.001) return value.toExponential(1).replace(/\.0e/, "e");
  return String(Number(value.toPrecision(3)));
}

/**
 * A seed list as people write it: `1–20`, `1–20, 42`.
 *
 * @example Usage
 * ```ts
 * import { formatSeeds } from "./calibration.ts";
 * console.log(formatSeeds([1, 2, 3, 7, 42])); // "1–3, 7, 42"
 * ```
 * @param seeds The seeds, ascending.
 * @returns The text.
 */
export function formatSeeds(seeds: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < seeds.length;) {
    let j = i;
    while (j + 1 < seeds.length && seeds[j + 1] === seeds[j] + 1) j++;
    parts.push(
      j > i + 1 ? `${seeds[i]}–${seeds[j]}` : j === i + 1 ? `${seeds[i]}, ${seeds[j]}` : `${seeds[i]}`,
    );
    i = j + 1;
  }
  return parts.join(", ");
}
