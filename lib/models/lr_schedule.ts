/**
 * Learning-rate schedules for hand-written tfjs training loops. tfjs optimizers take a fixed
 * learning rate; {@linkcode ScheduledAdam} is Adam whose rate can be changed between steps
 * (its moment estimates are kept), and {@linkcode exponentialDecay} gives the rate of each step.
 *
 * @example Usage
 * ```ts
 * import { exponentialDecay, ScheduledAdam } from "@lib/models/lr_schedule.ts";
 * const rate = exponentialDecay(1e-2, 1e-4, 100);
 * const optimizer = new ScheduledAdam(rate(0));
 * for (let step = 0; step < 100; step++) {
 *   optimizer.setLearningRate(rate(step));
 *   // optimizer.minimize(...)
 * }
 * optimizer.dispose();
 * ```
 * @module
 */
import { FusedAdam } from "./fused_adam.ts";

/**
 * Adam (β1 0.9, β2 0.999) whose learning rate can be set before any step; tfjs's Adam computed in one pass
 * per variable ({@linkcode FusedAdam}: the same numbers, fewer kernel dispatches).
 */
export class ScheduledAdam extends FusedAdam {
  /**
   * @param learningRate The initial learning rate.
   * @param beta1 Decay of the first moment estimate.
   * @param beta2 Decay of the second moment estimate.
   */
  constructor(learningRate: number, beta1 = 0.9, beta2 = 0.999) {
    super(checkRate(learningRate), beta1, beta2);
  }

  /**
   * Uses `rate` from the next step on.
   *
   * @example Usage
   * ```ts
   * import { ScheduledAdam } from "@lib/models/lr_schedule.ts";
   * const optimizer = new ScheduledAdam(1e-3);
   * optimizer.setLearningRate(1e-4);
   * console.log(optimizer.getConfig().learningRate); // 0.0001
   * ```
   * @param rate The new learning rate, > 0.
   */
  setLearningRate(rate: number): void {
    this.learningRate = checkRate(rate);
  }
}

function checkRate(rate: number): number {
  if (!(rate > 0 && Number.isFinite(rate))) {
    throw new Error(`learning rate must be a finite number > 0, got ${rate}`);
  }
  return rate;
}

/**
 * The schedule `step ↦ initial · (final / initial)^(step / steps)`: `initial` at step 0,
 * falling by the same factor every step, reaching `final` at step `steps`.
 *
 * @example Usage
 * ```ts
 * import { exponentialDecay } from "@lib/models/lr_schedule.ts";
 * const rate = exponentialDecay(1e-2, 1e-4, 100);
 * console.log(rate(0), rate(50)); // 0.01 0.001 (up to rounding)
 * ```
 * @param initial The rate at step 0, > 0.
 * @param final The rate at step `steps`, > 0.
 * @param steps The number of steps, ≥ 1.
 * @returns The rate of each step.
 */
export function exponentialDecay(initial: number, final: number, steps: number): (step: number) => number {
  checkRate(initial);
  checkRate(final);
  if (!Number.isInteger(steps) || steps < 1) {
    throw new Error(`exponentialDecay: steps must be a positive integer, got ${steps}`);
  }
  return (step) => initial * (final / initial) ** (step / steps);
}
