/**
 * What the katas' tests and stubs share: assertions with messages a learner can act on, measurements for calibration and the lesson report, memoised trainings, and the stubs' not-implemented error.
 *
 * `tensor_assert.ts` and `error_assert.ts`: assertions; `measure.ts`: `measured()` and `measuring()`;
 * `once.ts`: `once()` and `oncePer()` for trainings shared by several tests; `property.ts`: fast-check
 * properties whose failures name their cause; `not_implemented.ts`: what a
 * stub throws.
 *
 * @example Usage
 * ```ts
 * import { measured, once } from "@lib/testing/mod.ts";
 * const value = once(() => measured("an answer", 42));
 * console.log(value()); // 42
 * ```
 * @module
 */
export * from "./error_assert.ts";
export * from "./measure.ts";
export * from "./not_implemented.ts";
export * from "./once.ts";
export * from "./property.ts";
export * from "./tensor_assert.ts";
