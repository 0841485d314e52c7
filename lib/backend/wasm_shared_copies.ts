/**
 * `Identity` and same-type `Cast` for tfjs-backend-wasm without copying the data.
 *
 * tfjs-backend-wasm 4.22 copies a tensor's whole buffer for `Identity` (`tf.clone`, and the
 * gradient plumbing of several ops) and for a `Cast` to the type it already has (the ReLU
 * gradient casts its float32 mask to float32). The cpu backend shares the buffer instead and
 * counts the reference, as the wasm backend's own `Reshape` does. The kernels registered here do
 * the same; the values are unchanged. In a training step of a one-layer network of 8,384 units
 * (batch 64) five of these copies moved 2 MiB each, about 0.7 ms of the step.
 *
 * {@linkcode registerSharedCopies} is called by `initBackend()` before the wasm backend starts;
 * calling it again is a no-op.
 *
 * @example Usage
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { initBackend } from "@lib/backend/init.ts";
 * await initBackend("wasm"); // registers the kernels
 * const x = tf.ones([2, 2]);
 * const y = tf.clone(x); // shares x's buffer
 * x.dispose();
 * console.log(y.arraySync()); // [[1, 1], [1, 1]]
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { KernelArgs } from "./wasm_kernels.ts";

let registered = false;

/**
 * Replaces the wasm backend's `Identity` kernel, and its `Cast` kernel when the type does not
 * change, with ones that share the input's buffer. Registers nothing when the wasm backend is
 * not loaded.
 *
 * @example Usage
 * ```ts
 * import { registerSharedCopies } from "@lib/backend/wasm_shared_copies.ts";
 * registerSharedCopies();
 * ```
 */
export function registerSharedCopies(): void {
  if (registered) return;
  const identity = tf.getKernel(tf.Identity, "wasm");
  const cast = tf.getKernel(tf.Cast, "wasm");
  if (!identity || !cast) return;
  registered = true;

  const share = ({ inputs, backend }: KernelArgs): tf.TensorInfo => {
    const x = inputs.x as tf.TensorInfo;
    (backend as tf.KernelBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  const replace = (config: tf.KernelConfig, kernelFunc: (args: KernelArgs) => tf.TensorInfo) => {
    tf.unregisterKernel(config.kernelName, "wasm");
    tf.registerKernel({ ...config, kernelFunc: kernelFunc as tf.KernelFunc });
  };
  replace(
    identity,
    (args) =>
      (args.inputs.x as tf.TensorInfo).dtype === "string"
        ? identity.kernelFunc(args) as tf.TensorInfo
        : share(args),
  );
  replace(cast, (args) => {
    const sameType = (args.inputs.x as tf.TensorInfo).dtype === (args.attrs as { dtype: tf.DataType }).dtype;
    return sameType ? share(args) : cast.kernelFunc(args) as tf.TensorInfo;
  });
}
