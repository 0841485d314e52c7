/**
 * Kata 03, steps 1–2: what an embedding table and an LSTM cost in memory. Implement each
 * function; `deno task kata 03` runs the tests. The README's steps explain what each is for.
 *
 * @module
 */
import { notImplemented } from "@lib/testing/not_implemented.ts";
import type { AdamMemory, DType } from "./contract.ts";

export type { AdamMemory, DType } from "./contract.ts";

/**
 * Step 1. Bytes of a `vocab × dim` table stored as `dtype` (default float32): a
 * 2,000,000 × 200 float32 table is 1.6e9 bytes. Throws a `RangeError` naming the argument
 * when `vocab` or `dim` is not a positive integer, or naming the dtype when it is unknown.
 */
export function embeddingBytes(_vocab: number, _dim: number, _dtype: DType = "float32"): number {
  return notImplemented("embeddingBytes", 1);
}

/**
 * Step 1. What training a `vocab × dim` table with Adam holds, in bytes: the weights, the
 * gradient (tfjs computes it dense: one value per entry), the first and second moments,
 * and their total. Same errors as {@linkcode embeddingBytes}.
 */
export function adamTrainingBytes(_vocab: number, _dim: number, _dtype: DType = "float32"): AdamMemory {
  return notImplemented("adamTrainingBytes", 1);
}

/**
 * Step 2. The number of weights of an LSTM layer with `units` units reading
 * `embeddingDim`-wide tokens: four gates, each with an input kernel, a recurrent kernel
 * and a bias. Throws a `RangeError` naming the argument when a size is not a positive integer.
 */
export function lstmParams(_embeddingDim: number, _units: number): number {
  return notImplemented("lstmParams", 2);
}
