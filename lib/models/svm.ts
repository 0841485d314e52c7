/**
 * Support vector machines through libsvm-js (LIBSVM 3.22 compiled to WebAssembly), with
 * the quirks of loading it in Deno handled here:
 *
 * - Its Emscripten glue takes any runtime that defines `self` for a browser, and Deno
 *   defines `self`, so it fails with "window is not defined". `self` is hidden while the
 *   module initialises, then restored.
 * - It first tries to stream-compile its `.wasm` through `fetch`, which fails on a file
 *   path and prints a warning before falling back; `fetch` is hidden too, so it goes
 *   straight to reading the file.
 * - LIBSVM prints its optimiser log to stdout unless told to be quiet; {@linkcode trainSvm}
 *   always is.
 *
 * `self` and `fetch` are missing only while the module is first imported (once per process),
 * so other code should not rely on them during that first `loadLibsvm()` call.
 *
 * @example Usage
 * ```ts
 * import { trainSvm } from "@lib/models/svm.ts";
 * const xor = [[0, 0], [1, 1], [1, 0], [0, 1]];
 * const model = await trainSvm(xor, [0, 0, 1, 1], { kernel: "rbf", gamma: 1, cost: 10 });
 * console.log(model.predict([[0.1, 0.1], [0.9, 0.1]])); // [0, 1]
 * model.free();
 * ```
 * @module
 */

/** Kernels LIBSVM offers (by the names used here). */
export type SvmKernel = "linear" | "polynomial" | "rbf" | "sigmoid";

const KERNEL_CODES: Record<SvmKernel, number> = { linear: 0, polynomial: 1, rbf: 2, sigmoid: 3 };

/** Options of a C-SVC classifier. */
export interface SvmOptions {
  /** Kernel (default "rbf"). */
  kernel?: SvmKernel;
  /** Penalty C on margin violations (default 1). */
  cost?: number;
  /** Kernel width for rbf/polynomial/sigmoid (default 1 / number of features). */
  gamma?: number;
  /** Degree of the polynomial kernel (default 3). */
  degree?: number;
  /** Constant term of the polynomial and sigmoid kernels (default 0). */
  coef0?: number;
}

/** A trained classifier. Its memory lives in the WebAssembly heap: call `free()` when done. */
export interface SvmModel {
  /** The predicted label of each sample. */
  predict(samples: readonly ArrayLike<number>[]): number[];
  /** Indices (into the training samples) of the support vectors. */
  supportVectors(): number[];
  /** Releases the model's WebAssembly memory; the model cannot predict afterwards. */
  free(): void;
}

interface LibsvmInstance {
  train(samples: readonly ArrayLike<number>[], labels: readonly number[]): void;
  predictOne(sample: ArrayLike<number>): number;
  getSVIndices(): number[];
  free(): void;
}

type LibsvmClass = new (options: Record<string, number | boolean>) => LibsvmInstance;

let loading: Promise<LibsvmClass> | undefined;

async function importHidingBrowserGlobals(): Promise<LibsvmClass> {
  const hidden = ["self", "fetch"].map((name) =>
    [name, Object.getOwnPropertyDescriptor(globalThis, name)] as const
  );
  for (const [name] of hidden) delete (globalThis as Record<string, unknown>)[name];
  let ready: Promise<LibsvmClass>;
  try {
    ready = (await import("libsvm-js")).default as Promise<LibsvmClass>;
  } finally {
    for (const [name, descriptor] of hidden) {
      if (descriptor) Object.defineProperty(globalThis, name, descriptor);
    }
  }
  return await ready;
}

/**
 * Loads LIBSVM once per process and returns its classifier class (later calls reuse it).
 * {@linkcode trainSvm} calls it for you.
 *
 * @example Usage
 * ```ts
 * import { loadLibsvm } from "@lib/models/svm.ts";
 * const SVM = await loadLibsvm();
 * console.log(typeof SVM); // "function"
 * ```
 * @returns The libsvm-js `SVM` class.
 */
export function loadLibsvm(): Promise<LibsvmClass> {
  loading ??= importHidingBrowserGlobals();
  return loading;
}

/**
 * Trains a C-SVC classifier, quietly.
 *
 * @example Usage
 * ```ts
 * import { trainSvm } from "@lib/models/svm.ts";
 * const model = await trainSvm([[0], [1], [2], [3]], [0, 0, 1, 1], { kernel: "linear" });
 * console.log(model.predict([[0.2], [2.8]])); // [0, 1]
 * model.free();
 * ```
 * @param samples One feature vector per sample, all of the same length.
 * @param labels One integer class label per sample.
 * @param options Kernel and its parameters.
 * @returns The trained model.
 */
export async function trainSvm(
  samples: readonly ArrayLike<number>[],
  labels: readonly number[],
  options: SvmOptions = {},
): Promise<SvmModel> {
  if (samples.length === 0) throw new RangeError("trainSvm: no samples; pass at least one sample per class");
  if (samples.length !== labels.length) {
    throw new RangeError(
      `trainSvm: ${samples.length} samples but ${labels.length} labels; pass one label per sample`,
    );
  }
  const width = samples[0].length;
  const ragged = samples.findIndex((s) => s.length !== width);
  if (ragged >= 0) {
    throw new RangeError(
      `trainSvm: sample ${ragged} has ${samples[ragged].length} features, sample 0 has ${width}`,
    );
  }
  const { kernel = "rbf", cost = 1, gamma = 1 / width, degree = 3, coef0 = 0 } = options;
  if (!(kernel in KERNEL_CODES)) {
    throw new RangeError(
      `trainSvm: unknown kernel "${kernel}"; use one of ${Object.keys(KERNEL_CODES).join(", ")}`,
    );
  }
  const SVM = await loadLibsvm();
  const svm = new SVM({ type: 0, kernel: KERNEL_CODES[kernel], cost, gamma, degree, coef0, quiet: true });
  svm.train(samples, labels);
  let freed = false;
  return {
    predict(rows) {
      if (freed) throw new Error("SvmModel.predict: the model was freed; train a new one");
      const bad = rows.findIndex((s) => s.length !== width);
      if (bad >= 0) {
        throw new RangeError(
          `SvmModel.predict: sample ${bad} has ${rows[bad].length} features, the model expects ${width}`,
        );
      }
      return rows.map((row) => svm.predictOne(row));
    },
    supportVectors() {
      if (freed) throw new Error("SvmModel.supportVectors: the model was freed; train a new one");
      return svm.getSVIndices();
    },
    free() {
      if (!freed) svm.free();
      freed = true;
    },
  };
}
