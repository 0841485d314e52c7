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

/**
 * Runs `work` on tfjs's cpu backend when the current backend keeps its tensors on a GPU (WebGPU, WebGL), and
 * on the current backend otherwise. Code that reads tensors synchronously (an ONNX export reading and
 * transposing a model's weights, an ONNX feed) would otherwise read a GPU buffer back through a canvas, which
 * on some adapters (headless Chromium's SwiftShader) returns wrong values. `tensors` (the weights, the inputs)
 * are read asynchronously first, so moving them to the cpu backend needs no such read; the backend is put
 * back when `work` ends, also when it throws.
 *
 * @example Usage
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { onHostBackend } from "@lib/backend/host_copy.ts";
 * const w = tf.variable(tf.tensor2d([[1, 2], [3, 4]]));
 * const transposed = await onHostBackend([w], () => Promise.resolve(Array.from(w.transpose().dataSync())));
 * console.log(transposed); // [1, 3, 2, 4]
 * ```
 * @param tensors The tensors `work` reads.
 * @param work The work.
 * @returns What `work` returns.
 */
export async function onHostBackend<T>(tensors: readonly tf.Tensor[], work: () => Promise<T>): Promise<T> {
  const backend = tf.getBackend();
  if (keepsTensorsOnHost(backend)) return await work();
  await Promise.all(tensors.map((t) => t.data()));
  await tf.setBackend("cpu");
  try {
    return await work();
  } finally {
    await tf.setBackend(backend);
  }
}

/** The backends whose tensors a synchronous read gets directly: JavaScript's heap, or the wasm heap. */
const HOST_BACKENDS: ReadonlySet<string> = new Set(["cpu", "wasm", "tensorflow"]);

/**
 * Whether `backend` keeps its tensors in host memory (cpu, wasm, tfjs-node), where `dataSync()` is a copy,
 * rather than on a GPU (WebGPU, WebGL), where it is a slow and sometimes wrong read-back.
 *
 * @example Usage
 * ```ts
 * import { keepsTensorsOnHost } from "@lib/backend/host_copy.ts";
 * console.log(keepsTensorsOnHost("wasm"), keepsTensorsOnHost("webgpu")); // true false
 * ```
 * @param backend A tfjs backend's name (default: the current one).
 * @returns True for a host backend.
 */
export function keepsTensorsOnHost(backend: string = tf.getBackend()): boolean {
  return HOST_BACKENDS.has(backend);
}
