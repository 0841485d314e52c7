/**
 * Kata 03, steps 1–2 (reference): what an embedding table and an LSTM cost in memory.
 *
 * @module
 */

/** Element types a table can be stored in (steps 1). */
export type DType = "float64" | "float32" | "float16" | "bfloat16" | "int8";

/** The bytes a training step with Adam holds for one table (step 1). */
export interface AdamMemory {
  /** The table itself. */
  weights: number;
  /** Its gradient, as tfjs materialises it: one value per table entry. */
  gradient: number;
  /** Adam's running mean of the gradient (m), one per entry. */
  firstMoment: number;
  /** Adam's running mean of the squared gradient (v), one per entry. */
  secondMoment: number;
  /** The sum of the four. */
  total: number;
}

const BYTES: Record<DType, number> = { float64: 8, float32: 4, float16: 2, bfloat16: 2, int8: 1 };

function checkCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
}

function bytesPerElement(dtype: DType): number {
  const bytes = BYTES[dtype];
  if (bytes === undefined) {
    throw new RangeError(`unknown dtype "${dtype}"; use one of ${Object.keys(BYTES).join(", ")}`);
  }
  return bytes;
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
