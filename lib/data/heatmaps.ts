/**
 * Seeded images of Gaussian blobs and their heat-map labels, for per-pixel regression.
 *
 * Each image is `size × size × 1`: one to `maxBlobs` bright Gaussian blobs of random
 * position, width and brightness, plus pixel noise. Its label is a heat-map of the same
 * shape that marks each blob's centre with a narrow Gaussian whose peak is the blob's
 * brightness times `labelPeak` (default `1e-2`), so labels are ≥ 0 and, where blobs do
 * not overlap, ≤ `labelPeak`: the tiny label scale of a density or probability map.
 *
 * @example Usage
 * ```ts
 * import { generateHeatmapData } from "@lib/data/heatmaps.ts";
 * const { images, labels } = generateHeatmapData({ count: 4, seed: 1 });
 * console.log(images.shape, labels.shape); // [4, 16, 16, 1] [4, 16, 16, 1]
 * console.log(labels.max().dataSync()[0] <= 0.02); // true
 * images.dispose();
 * labels.dispose();
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { createRng } from "../core/random.ts";

/** Options for {@linkcode generateHeatmapData}. */
export interface HeatmapDataOptions {
  /** Number of image/label pairs (a positive integer). */
  count: number;
  /** Seed: the same seed and options always give the same data. */
  seed: number;
  /** Image side in pixels (default 16, at least 4). */
  size?: number;
  /** Most blobs in one image (default 3; each image has 1 to `maxBlobs`). */
  maxBlobs?: number;
  /** Peak label value of a blob of brightness 1 (default 1e-2). */
  labelPeak?: number;
  /** Width (standard deviation, pixels) of a label's Gaussian (default 1). */
  labelSigma?: number;
  /** Standard deviation of the Gaussian pixel noise added to images (default 0.05). */
  noise?: number;
}

/** Images and heat-map labels, both `float32` of shape `[count, size, size, 1]`. The caller disposes them. */
export interface HeatmapData {
  /** Blob images, pixel values around [0, 1] plus noise. */
  images: tf.Tensor4D;
  /** Heat-maps in the original (tiny) label units. */
  labels: tf.Tensor4D;
}

function positiveInteger(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`generateHeatmapData: ${name} must be an integer ≥ ${min}, got ${value}`);
  }
}

function nonNegative(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`generateHeatmapData: ${name} must be a finite number ≥ 0, got ${value}`);
  }
}

/**
 * Generates `count` blob images and their heat-map labels, deterministically for `seed`.
 *
 * @example Usage
 * ```ts
 * import { generateHeatmapData } from "@lib/data/heatmaps.ts";
 * const data = generateHeatmapData({ count: 2, seed: 7, size: 8, labelPeak: 1 });
 * console.log(data.labels.shape); // [2, 8, 8, 1]
 * data.images.dispose();
 * data.labels.dispose();
 * ```
 * @param options Count, seed and the shape of the data.
 * @returns Images and labels as tensors of shape `[count, size, size, 1]`.
 */
export function generateHeatmapData(options: HeatmapDataOptions): HeatmapData {
  const { count, seed, size = 16, maxBlobs = 3, labelPeak = 1e-2, labelSigma = 1, noise = 0.05 } = options;
  positiveInteger("count", count, 1);
  positiveInteger("size", size, 4);
  positiveInteger("maxBlobs", maxBlobs, 1);
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(`generateHeatmapData: seed must be an integer, got ${seed}`);
  }
  nonNegative("labelPeak", labelPeak);
  nonNegative("noise", noise);
  if (!(labelSigma > 0) || !Number.isFinite(labelSigma)) {
    throw new RangeError(`generateHeatmapData: labelSigma must be a finite number > 0, got ${labelSigma}`);
  }
  const rng = createRng(seed);
  const pixels = size * size;
  const images = new Float32Array(count * pixels);
  const labels = new Float32Array(count * pixels);
  const labelDenominator = 2 * labelSigma * labelSigma;
  for (let n = 0; n < count; n++) {
    const blobs = 1 + rng.int(maxBlobs);
    for (let b = 0; b < blobs; b++) {
      const cy = 1 + rng.uniform() * (size - 3);
      const cx = 1 + rng.uniform() * (size - 3);
      const sigma = 1 + rng.uniform();
      const brightness = 0.5 + 0.5 * rng.uniform();
      const imageDenominator = 2 * sigma * sigma;
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          const d2 = (y - cy) ** 2 + (x - cx) ** 2;
          const i = n * pixels + y * size + x;
          images[i] += brightness * Math.exp(-d2 / imageDenominator);
          labels[i] += labelPeak * brightness * Math.exp(-d2 / labelDenominator);
        }
      }
    }
    for (let i = n * pixels; i < (n + 1) * pixels; i++) images[i] += noise * rng.normal();
  }
  const shape: [number, number, number, number] = [count, size, size, 1];
  return { images: tf.tensor4d(images, shape), labels: tf.tensor4d(labels, shape) };
}
