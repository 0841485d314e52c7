/**
 * A copy of a tensor whose values sit in host memory, read asynchronously: `dataSync()` on it needs no
 * synchronous read-back from a GPU. On tfjs-backend-webgpu a synchronous read goes through a canvas, which in
 * some browsers (headless Chromium on a software adapter, for one) returns zeros; an experiment that hands a
 * result to code calling `dataSync()` (a learner's metric) passes it through this first.
 *
 * @example Usage
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { hostCopy } from "@lib/backend/host_copy.ts";
 * const copy = await hostCopy(tf.tensor([1, 2, 3]).add(1));
 * console.log(Array.from(copy.dataSync())); // [2, 3, 4]
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/**
 * Reads `tensor` asynchronously and returns a new tensor of the same shape and dtype built from those values
 * (the caller disposes both).
 *
 * @example Usage
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { hostCopy } from "@lib/backend/host_copy.ts";
 * console.log((await hostCopy(tf.zeros([2, 2]))).shape); // [2, 2]
 * ```
 * @param tensor The tensor.
 * @returns The copy.
 */
export async function hostCopy<T extends tf.Tensor>(tensor: T): Promise<T> {
  return tf.tensor(await tensor.data(), tensor.shape, tensor.dtype) as T;
}
