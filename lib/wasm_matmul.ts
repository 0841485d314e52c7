/**
 * A faster `BatchMatMul` for tfjs-backend-wasm when an operand is transposed.
 *
 * tfjs-backend-wasm 4.22 hands a product to XNNPACK only when neither operand is
 * transposed; with `transposeA` or `transposeB` it falls back to a plain loop that is 4–10×
 * slower (a 64×784 by 784×128 product: 0.5 ms straight, 5 ms with either flag). Backpropagation
 * through a `Dense` layer computes exactly those two products (`xᵀ·dy` for the kernel,
 * `dy·wᵀ` for the input), so on wasm they dominated a training step. The kernel registered here
 * transposes the operand explicitly (a cheap copy) and calls tfjs's own kernel without the flag;
 * for `aᵀ·b` with `b` a column it computes `(bᵀ·a)ᵀ`, which needs no copy at all (a 64×8,384
 * by 64×1 product: 0.9 ms → 0.12 ms).
 * Only the summation order changes: results agree with the cpu backend to float32 rounding.
 *
 * {@linkcode registerFastTransposedMatMul} is called by `initBackend()` before the wasm backend
 * starts; calling it again is a no-op.
 *
 * @example Usage
 * ```ts
 * import { registerFastTransposedMatMul } from "@lib/wasm_matmul.ts";
 * registerFastTransposedMatMul();
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { KernelArgs, WasmBackendLike } from "./wasm_kernels.ts";

interface MatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

let registered = false;

/**
 * Replaces the wasm backend's `BatchMatMul` kernel with one that transposes a flagged operand
 * first and then runs the XNNPACK path. Registers nothing when the wasm backend is not loaded.
 *
 * @example Usage
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { initBackend } from "@lib/backend.ts";
 * await initBackend("wasm"); // registers the kernel
 * const dw = tf.matMul(tf.ones([4, 3]), tf.ones([4, 2]), true, false); // xᵀ·dy, shape [3, 2]
 * ```
 */
export function registerFastTransposedMatMul(): void {
  if (registered) return;
  const original = tf.getKernel(tf.BatchMatMul, "wasm");
  const transpose = tf.getKernel(tf.Transpose, "wasm");
  if (!original || !transpose) return;
  registered = true;

  const swapLastTwo = (x: tf.TensorInfo, backend: unknown): tf.TensorInfo => {
    const perm = x.shape.map((_, i) => i);
    perm.splice(-2, 2, perm.length - 1, perm.length - 2);
    return transpose.kernelFunc({ inputs: { x }, backend, attrs: { perm } } as KernelArgs) as tf.TensorInfo;
  };

  const kernelFunc = (args: KernelArgs): tf.TensorInfo => {
    const { transposeA, transposeB } = args.attrs as unknown as MatMulAttrs;
    if (!transposeA && !transposeB) return original.kernelFunc(args) as tf.TensorInfo;
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    if (transposeA && !transposeB && a.shape.length === 2 && b.shape.length === 2 && b.shape[1] === 1) {
      // aᵀ·b with b a column is (bᵀ·a)ᵀ, and transposing a row or a column only relabels its shape:
      // no copy of the (often wide) a at all.
      const row = { ...b, shape: [1, b.shape[0]] };
      const out = original.kernelFunc({
        ...args,
        inputs: { a: row, b: a },
        attrs: { ...args.attrs, transposeA: false, transposeB: false },
      }) as tf.TensorInfo;
      out.shape = [a.shape[1], 1];
      return out;
    }
    const copies: tf.TensorInfo[] = [];
    const straight = (x: tf.TensorInfo, flagged: boolean) => {
      if (!flagged) return x;
      const t = swapLastTwo(x, args.backend);
      copies.push(t);
      return t;
    };
    const out = original.kernelFunc({
      ...args,
      inputs: { a: straight(a, transposeA), b: straight(b, transposeB) },
      attrs: { ...args.attrs, transposeA: false, transposeB: false },
    }) as tf.TensorInfo;
    for (const t of copies) (args.backend as WasmBackendLike).disposeData(t.dataId);
    return out;
  };

  tf.unregisterKernel(tf.BatchMatMul, "wasm");
  tf.registerKernel({ ...original, kernelFunc: kernelFunc as tf.KernelFunc });
}
