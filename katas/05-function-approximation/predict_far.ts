/**
 * Kata 05, step 6 (challenge): predict a machine far outside the range where it can be measured.
 * The README's step 6 states the problem, the target, the budget and what is off limits.
 *
 * @module
 */
import type { Rng } from "@lib/core/random.ts";
import { notImplemented } from "@lib/testing/not_implemented.ts";
import type { Predictor, Sensor } from "./contract.ts";

export { FAR_CHALLENGE, PERIOD_RANGE } from "./contract.ts";
export type { Point, Predictor, Sensor } from "./contract.ts";

/**
 * Step 6 (challenge): learn the machine behind `sensor` and return a predictor of it.
 *
 * `sensor.measure(points)` returns the machine's output, with noise, at `[x, y]` points of
 * `sensor.domain` (x ∈ [0, 100], y ∈ [−1, 1]), at most `sensor.budget` measurements in all. The
 * machine's output repeats in x with a period somewhere in `PERIOD_RANGE`; nothing else about
 * its form is known. The predictor you return is scored on x ∈ [200, 210], y ∈ [−1, 1], at points
 * the test draws after this function returns: its mean squared error must be below
 * `FAR_CHALLENGE.target`. If you use tfjs, `await initBackend()` (`@lib/backend/init.ts`) first.
 *
 * @param _sensor The only access to the machine.
 * @param _rng A seeded generator for any randomness of your own.
 * @returns The predictor (or a promise of it).
 */
export function fitMachine(_sensor: Sensor, _rng: Rng): Predictor | Promise<Predictor> {
  return notImplemented("fitMachine", 6);
}
