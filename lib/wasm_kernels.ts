/**
 * Training kernels that tfjs-backend-wasm 4.22 does not register, written in plain
 * TypeScript over the wasm heap:
 *
 * - `UnsortedSegmentSum`, the gradient of `gather`: without it an `Embedding` layer
 *   cannot train on wasm.
 * - `Conv2DBackpropFilter`, the gradient of a convolution's kernel: without it a
 *   `Conv2D` layer cannot train on wasm.
 *
 * Both follow the cpu backend's definitions (their unit tests compare against it) but
 * loop over the data once instead of once per segment. {@linkcode registerWasmTrainingKernels}
 * is called by `initBackend()`; calling it again is a no-op.
 *
 * @example Usage
 * ```ts
 * import { registerWasmTrainingKernels } from "@lib/wasm_kernels.ts";
 * registerWasmTrainingKernels();
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";

interface WasmBackendLike {
  readSync(dataId: object): tf.backend_util.BackendValues;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

function read(backend: WasmBackendLike, info: tf.TensorInfo): Float32Array | Int32Array {
  return backend.readSync(info.dataId) as Float32Array | Int32Array;
}

function output(backend: WasmBackendLike, shape: number[], values: Float32Array): tf.TensorInfo {
  const out = backend.makeOutput(shape, "float32");
  (backend.typedArrayFromHeap(out) as Float32Array).set(values);
  return out;
}

/**
 * Sums rows of `x` into `numSegments` buckets: `out[segmentIds[i]] += x[i]` (ids outside
 * `[0, numSegments)` are dropped, as in TensorFlow).
 *
 * @example Usage
 * ```ts
 * import { unsortedSegmentSumValues } from "@lib/wasm_kernels.ts";
 * const out = unsortedSegmentSumValues(new Float32Array([1, 2, 3]), [3], new Int32Array([0, 1, 0]), 2);
 * console.log(Array.from(out)); // [4, 2]
 * ```
 * @param x The values, flattened; its first `segmentIds.length` dimensions are segmented.
 * @param xShape The shape of `x`.
 * @param segmentIds One id per leading element of `x` (any rank, flattened).
 * @param numSegments Number of output rows.
 * @param out Where to write the sums (zeroed first); default a new array.
 * @returns The sums, shape `[numSegments, ...xShape.slice(segmentIds rank)]`, flattened.
 */
export function unsortedSegmentSumValues(
  x: ArrayLike<number>,
  xShape: number[],
  segmentIds: ArrayLike<number>,
  numSegments: number,
  out?: Float32Array,
): Float32Array {
  const inner = segmentIds.length === 0 ? 0 : x.length / segmentIds.length;
  out = out ? out.fill(0) : new Float32Array(numSegments * inner);
  if (xShape.length === 0) return out;
  for (let i = 0; i < segmentIds.length; i++) {
    const id = segmentIds[i];
    if (id < 0 || id >= numSegments) continue;
    const src = i * inner;
    const dst = id * inner;
    for (let j = 0; j < inner; j++) out[dst + j] += x[src + j];
  }
  return out;
}

function unsortedSegmentSum(
  { inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap },
): tf.TensorInfo {
  const wasm = backend as WasmBackendLike;
  const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const numSegments = (attrs as { numSegments: number }).numSegments;
  const ids = read(wasm, segmentIds);
  const values = read(wasm, x);
  // Sum straight into the output on the wasm heap: the table-sized result is written once.
  const out = wasm.makeOutput([numSegments, ...x.shape.slice(segmentIds.shape.length)], "float32");
  unsortedSegmentSumValues(values, x.shape, ids, numSegments, wasm.typedArrayFromHeap(out) as Float32Array);
  return out;
}

function conv2DBackpropFilter(
  { inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap },
): tf.TensorInfo {
  const wasm = backend as WasmBackendLike;
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as {
    strides: [number, number] | number;
    pad: "valid" | "same" | number;
    dataFormat: "NHWC" | "NCHW";
    dimRoundingMode?: "floor" | "round" | "ceil";
    filterShape: [number, number, number, number];
  };
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(dataFormat),
  );
  const xs = read(wasm, x);
  const dys = read(wasm, dy);
  const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = info;
  const { inHeight, inWidth, inChannels: ci, outHeight, outWidth, outChannels: co, batchSize } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const last = info.dataFormat === "channelsLast";
  // Index helpers for NHWC or NCHW layouts.
  const xAt = last
    ? (b: number, r: number, c: number, d: number) => ((b * inHeight + r) * inWidth + c) * ci + d
    : (b: number, r: number, c: number, d: number) => ((b * ci + d) * inHeight + r) * inWidth + c;
  const dyAt = last
    ? (b: number, r: number, c: number, d: number) => ((b * outHeight + r) * outWidth + c) * co + d
    : (b: number, r: number, c: number, d: number) => ((b * co + d) * outHeight + r) * outWidth + c;
  const dw = new Float32Array(fh * fw * ci * co);
  for (let wr = 0; wr < fh; wr++) {
    const yrMin = Math.max(0, Math.ceil((top - wr) / sh));
    const yrMax = Math.min(outHeight, (inHeight + top - wr) / sh);
    for (let wc = 0; wc < fw; wc++) {
      const ycMin = Math.max(0, Math.ceil((left - wc) / sw));
      const ycMax = Math.min(outWidth, (inWidth + left - wc) / sw);
      const base = (wr * fw + wc) * ci * co;
      for (let b = 0; b < batchSize; b++) {
        for (let yr = yrMin; yr < yrMax; yr++) {
          const xr = wr + yr * sh - top;
          for (let yc = ycMin; yc < ycMax; yc++) {
            const xc = wc + yc * sw - left;
            for (let d1 = 0; d1 < ci; d1++) {
              const xv = xs[xAt(b, xr, xc, d1)];
              if (xv === 0) continue;
              const row = base + d1 * co;
              for (let d2 = 0; d2 < co; d2++) dw[row + d2] += xv * dys[dyAt(b, yr, yc, d2)];
            }
          }
        }
      }
    }
  }
  return output(wasm, info.filterShape, dw);
}

/**
 * The kernels this module adds to the `wasm` backend, by kernel name.
 *
 * @example Usage
 * ```ts
 * import { WASM_TRAINING_KERNELS } from "@lib/wasm_kernels.ts";
 * console.log(WASM_TRAINING_KERNELS); // ["UnsortedSegmentSum", "Conv2DBackpropFilter"]
 * ```
 */
export const WASM_TRAINING_KERNELS: readonly string[] = [
  tf.UnsortedSegmentSum,
  tf.Conv2DBackpropFilter,
];

/**
 * Registers the missing training kernels for the `wasm` backend (idempotent).
 *
 * @example Usage
 * ```ts
 * import { registerWasmTrainingKernels } from "@lib/wasm_kernels.ts";
 * registerWasmTrainingKernels();
 * registerWasmTrainingKernels(); // second call does nothing
 * ```
 */
export function registerWasmTrainingKernels(): void {
  const kernels: [string, tf.KernelFunc][] = [
    [tf.UnsortedSegmentSum, unsortedSegmentSum as unknown as tf.KernelFunc],
    [tf.Conv2DBackpropFilter, conv2DBackpropFilter as unknown as tf.KernelFunc],
  ];
  for (const [kernelName, kernelFunc] of kernels) {
    if (!tf.getKernel(kernelName, "wasm")) tf.registerKernel({ kernelName, backendName: "wasm", kernelFunc });
  }
}
