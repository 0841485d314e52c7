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

function enabled(): boolean {
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
  if (enabled()) console.error(JSON.stringify({ measure: label, value, seed: kataSeed() }));
  return value;
}
