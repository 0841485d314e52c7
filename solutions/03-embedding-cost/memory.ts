/**
 * Kata 03, steps 1–2 (reference): what an embedding table and an LSTM cost in memory.
 *
 * @module
 */

import type { AdamMemory, DType } from "./contract.ts";

export type { AdamMemory, DType } from "./contract.ts";

const BYTES: Record<DType, number> = { float64: 8, float32: 4, float16: 2, bfloat16: 2, int8: 1 };

function checkCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
}

function bytesPerElement(dtype: DType): number {
  // Object.hasOwn, not `in` or a plain lookup: "toString" is a key of every object.
  if (!Object.hasOwn(BYTES, dtype)) {
    throw new RangeError(`unknown dtype "${dtype}"; use one of ${Object.keys(BYTES).join(", ")}`);
  }
  return BYTES[dtype];
}

/** Step 1. Bytes of a `vocab × dim` table of `dtype` (2,000,000 × 200 float32 = 1.6e9). */
export function embeddingBytes(vocab: number, dim: number, dtype: DType = "float32"): number {
  checkCount("vocab", vocab);
  checkCount("dim", dim);
  return vocab * dim * bytesPerElement(dtype);
}

/** Step 1. What training the table with Adam holds: the table, a dense gradient and two moments. */
export function adamTrainingBytes(vocab: number, dim: number, dtype: DType = "float32"): AdamMemory {
  const weights = embeddingBytes(vocab, dim, dtype);
  return { weights, gradient: weights, firstMoment: weights, secondMoment: weights, total: 4 * weights };
}

/** Step 2. Weights of an LSTM layer: 4 gates × (input kernel + recurrent kernel + bias). */
export function lstmParams(embeddingDim: number, units: number): number {
  checkCount("embeddingDim", embeddingDim);
  checkCount("units", units);
  return 4 * (units * (embeddingDim + units) + units);
}
