/**
 * Records a measured statistic from a test, for two readers: the lesson report that `deno task kata` prints
 * after every run (`KATA_MEASURE=report`, set by the runner) and `deno task calibrate`, which collects it
 * over many seeds (`KATA_MEASURE=1`). In either case it prints one JSON line to stderr,
 * `{"measure": label, "value": v, "seed": s}`; with `KATA_MEASURE` unset (plain `deno test`) it is silent.
 *
 * @example Usage
 * ```ts
 * import { measured } from "@lib/testing/measure.ts";
 * const accuracy = measured("scaled accuracy", 0.83);
 * console.log(accuracy); // 0.83
 * ```
 * @module
 */
import { kataSeed } from "../core/random.ts";
import { readSetting } from "../core/settings.ts";

/**
 * True while the tests are being calibrated (`KATA_MEASURE=1`, set by `deno task calibrate`).
 * A test uses it to skip work whose only purpose is a reported number, not an assertion.
 *
 * @example Usage
 * ```ts
 * import { measured, measuring } from "@lib/testing/measure.ts";
 * if (measuring()) measured("an extra statistic", 0.5);
 * ```
 * @returns Whether the tests are being calibrated.
 */
export function measuring(): boolean {
  return readSetting("KATA_MEASURE") === "1";
}

/**
 * Reports `value` under `label` when measurements are collected (`KATA_MEASURE` is `1` or `report`), and
 * returns it unchanged.
 *
 * @example Usage
 * ```ts
 * import { measured } from "@lib/testing/measure.ts";
 * const ratio = measured("loss ratio raw/scaled", 5.2);
 * ```
 * @param label What was measured, stable across seeds.
 * @param value The measurement.
 * @returns `value`.
 */
export function measured(label: string, value: number): number {
  const mode = readSetting("KATA_MEASURE");
  if (mode === "1" || mode === "report") {
    console.error(JSON.stringify({ measure: label, value, seed: kataSeed() }));
  }
  return value;
}
