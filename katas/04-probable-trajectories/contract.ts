/**
 * Kata 04's contract: the types and constants that the stub, the reference solution and the tests
 * share, declared once. The stub (`forecast.ts`, `challenge.ts`) imports them from here and
 * re-exports what its users need; the solution imports `../../katas/04-probable-trajectories/contract.ts`.
 *
 * @example Usage
 * ```ts
 * import { KATA_GRID } from "./contract.ts";
 * console.log(KATA_GRID.size); // 16
 * ```
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { SCENE_BOUNDS } from "@lib/data/trajectories.ts";
import { deepFreeze } from "@lib/core/freeze.ts";

export { CHALLENGE, type TrajectorySampler } from "@lib/data/junction_challenge.ts";

/** A square grid over the scene: `size` × `size` cells covering `[min, max]` on both axes. */
export interface GridSpec {
  /** Cells per side. */
  size: number;
  /** Lower edge of the grid on both axes. */
  min: number;
  /** Upper edge of the grid on both axes. */
  max: number;
}

/** The grid of this kata: 16 × 16 cells over the scene. */
export const KATA_GRID: GridSpec = { size: 16, min: SCENE_BOUNDS.min, max: SCENE_BOUNDS.max };
deepFreeze(KATA_GRID); // graded code cannot change the rules the tests read

/** Options of the training functions. */
export interface TrainOptions {
  /** Seed of the training's own random generator (e.g. for shuffling the batches); default 42. */
  seed?: number;
}

/** A deterministic forecaster: one future per past. */
export interface Regressor {
  /** Predicts the future `[n, FUTURE_STEPS, 2]` of each past `[n, OBSERVED_STEPS, 2]`. */
  predict(past: tf.Tensor3D): tf.Tensor3D;
}

/** Best-of-K errors, averaged over the inputs. */
export interface BestOfK {
  /** Mean over inputs of the smallest average displacement error among the K samples. */
  minAde: number;
  /** Mean over inputs of the smallest final displacement error among the K samples. */
  minFde: number;
}
