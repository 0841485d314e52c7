/**
 * A faster `BatchMatMul` for tfjs-backend-wasm when an operand is transposed.
 *
 * tfjs-backend-wasm 4.22 hands a product to XNNPACK only when neither operand is
 * transposed; with `transposeA` or `transposeB` it falls back to a plain loop that is 4–10×
 * slower (a 64×784 by 784×128 product: 0.5 ms straight, 5 ms with either flag). Backpropagation
 * through a `Dense` layer computes exactly those two products (`xᵀ·dy` for the kernel,
 * `dy·wᵀ` for the input), so on wasm they dominated a training step. The kernel registered here
 * transposes the operand explicitly (a cheap copy) and calls tfjs's own kernel without the flag.
 * XNNPACK packs the right operand of every product anew when it is a new tensor, so `aᵀ·b` with a
 * much wider `b` is computed as `(bᵀ·a)ᵀ`, packing the thin `a` ({@linkcode swapsOperands}).
 * Only the summation order changes from the plain loop: results agree with the cpu backend to
 * float32 rounding.
 *
 * {@linkcode registerFastTransposedMatMul} is called by `initBackend()` before the wasm backend
 * starts; calling it again is a no-op.
 *
 * @example Usage
 * ```ts
 * import { registerFastTransposedMatMul } from "@lib/backend/wasm_matmul.ts";
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
 * Whether `aᵀ·b` is cheaper as `(bᵀ·a)ᵀ` on wasm: when `b` has at least 4× as many columns as `a`.
 * XNNPACK packs the right operand of a product into its own layout, again for every new tensor
 * (a gradient is new at every step), and packing costs about 3× as much per element as the
 * transposes the swap adds. Measured on `[64, 2]ᵀ · [64, 8,384]`, a wide layer's kernel gradient:
 * 1.45 ms packing `b`, 0.53 ms swapped; at 2× as many columns the two ways cost about the same.
 * Results are identical to the last bit (each output is the same sum in the same order).
 *
 * @example Usage
 * ```ts
 * import { swapsOperands } from "@lib/backend/wasm_matmul.ts";
 * console.log(swapsOperands([64, 2], [64, 8384], true, false)); // true
 * console.log(swapsOperands([64, 784], [64, 128], true, false)); // false
 * ```
 * @param aShape The shape of `a` (any rank ≥ 2; leading dimensions are the batch).
 * @param bShape The shape of `b`.
 * @param transposeA Whether `a` is transposed.
 * @param transposeB Whether `b` is transposed.
 * @returns `true` for `aᵀ·b` with `b` at least 4× as wide as `a`.
 */
export function swapsOperands(
  aShape: readonly number[],
  bShape: readonly number[],
  transposeA: boolean,
  transposeB: boolean,
): boolean {
  return transposeA && !transposeB && bShape[bShape.length - 1] >= 4 * aShape[aShape.length - 1];
}

/**
 * Replaces the wasm backend's `BatchMatMul` kernel with one that transposes a flagged operand
 * first (or swaps the operands, see {@linkcode swapsOperands}) and then runs the XNNPACK path.
 * Registers nothing when the wasm backend is not loaded.
 *
 * @example Usage
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { initBackend } from "@lib/backend/init.ts";
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
    const backend = args.backend as WasmBackendLike;
    const straightProduct = (left: tf.TensorInfo, right: tf.TensorInfo) =>
      original.kernelFunc({
        ...args,
        inputs: { a: left, b: right },
        attrs: { ...args.attrs, transposeA: false, transposeB: false },
      }) as tf.TensorInfo;
    if (swapsOperands(a.shape, b.shape, transposeA, transposeB)) {
      // aᵀ·b = (bᵀ·a)ᵀ: XNNPACK packs its right operand anew for every new tensor, so the thin `a`
      // goes on the right, and the wide `b` is transposed instead (a plain copy, about 3× cheaper
      // per element than packing).
      const bt = swapLastTwo(b, backend);
      const swapped = straightProduct(bt, a);
      const out = swapLastTwo(swapped, backend);
      backend.disposeData(bt.dataId);
      backend.disposeData(swapped.dataId);
      return out;
    }
    const copies: tf.TensorInfo[] = [];
    const straight = (x: tf.TensorInfo, flagged: boolean) => {
      if (!flagged) return x;
      const t = swapLastTwo(x, backend);
      copies.push(t);
      return t;
    };
    const out = straightProduct(straight(a, transposeA), straight(b, transposeB));
    for (const t of copies) backend.disposeData(t.dataId);
    return out;
  };

  tf.unregisterKernel(tf.BatchMatMul, "wasm");
  tf.registerKernel({ ...original, kernelFunc: kernelFunc as tf.KernelFunc });
}
