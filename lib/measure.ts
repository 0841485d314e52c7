/**
 * Records a measured statistic from a test so it can be calibrated over many seeds.
 * Silent unless `KATA_MEASURE=1`; then it prints one JSON line to stderr,
 * `{"measure": label, "value": v, "seed": s}`, which `deno task calibrate` collects.
 *
 * @example Usage
 * ```ts
 * import { measured } from "@lib/measure.ts";
 * const accuracy = measured("scaled accuracy", 0.83);
 * console.log(accuracy); // 0.83
 * ```
 * @module
 */
import { kataSeed } from "./random.ts";

/**
 * True while the tests are being calibrated (`KATA_MEASURE=1`, set by `deno task calibrate`).
 * A test uses it to skip work whose only purpose is a reported number, not an assertion.
 *
 * @example Usage
 * ```ts
 * import { measured, measuring } from "@lib/measure.ts";
 * if (measuring()) measured("an extra statistic", 0.5);
 * ```
 * @returns Whether measurements are being collected.
 */
export function measuring(): boolean {
  try {
    return Deno.env.get("KATA_MEASURE") === "1";
  } catch {
    return false;
  }
}

/**
 * Reports `value` under `label` when measuring, and returns it unchanged.
 *
 * @example Usage
 * ```ts
 * import { measured } from "@lib/measure.ts";
 * const ratio = measured("loss ratio raw/scaled", 5.2);
 * ```
 * @param label What was measured, stable across seeds.
 * @param value The measurement.
 * @returns `value`.
 */
export function measured(label: string, value: number): number {
  if (measuring()) console.error(JSON.stringify({ measure: label, value, seed: kataSeed() }));
  return value;
}
