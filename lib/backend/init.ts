/**
 * Backend selection for every kata: `KATA_BACKEND=wasm|webgpu|cpu`.
 *
 * - Unset: `wasm`, unless a real (non-fallback) WebGPU adapter exists, then `webgpu`.
 * - `webgpu` when asked for is used even on a software adapter (slow, but it works).
 * - `wasm` gets the training kernels tfjs-backend-wasm lacks (`wasm_kernels.ts`), faster transposed
 *   products (`wasm_matmul.ts`) and copy-free `Identity`/`Cast` (`wasm_shared_copies.ts`).
 *
 * tfjs's "running in Node.js" banner is silenced: Deno's npm layer makes tfjs believe it
 * runs in Node, and the advice it prints (install tfjs-node) does not apply.
 *
 * @example Usage
 * ```ts
 * import { initBackend } from "@lib/backend/init.ts";
 * const name = await initBackend();
 * console.log(name); // "wasm" on a machine without a GPU
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { registerWasmTrainingKernels } from "./wasm_kernels.ts";
import { registerFastTransposedMatMul } from "./wasm_matmul.ts";
import { registerSharedCopies } from "./wasm_shared_copies.ts";
import { enableWasmThreads } from "./wasm_threads.ts";
import { readSetting } from "../core/settings.ts";

/** The backends a kata can run on. */
export type BackendName = "wasm" | "webgpu" | "cpu";

const BACKENDS: readonly BackendName[] = ["wasm", "webgpu", "cpu"];

/**
 * The backend named by `KATA_BACKEND`, or `undefined` when it is unset.
 * Throws a clear error for an unknown name.
 *
 * @example Usage
 * ```ts
 * import { requestedBackend } from "@lib/backend/init.ts";
 * console.log(requestedBackend() ?? "auto");
 * ```
 * @returns The requested backend, if any.
 */
export function requestedBackend(): BackendName | undefined {
  const value = readSetting("KATA_BACKEND")?.trim().toLowerCase();
  if (!value) return undefined;
  if (!(BACKENDS as string[]).includes(value)) {
    throw new Error(`KATA_BACKEND="${value}" is not a backend; use one of: ${BACKENDS.join(", ")}`);
  }
  return value as BackendName;
}

/**
 * Whether a hardware (non-fallback) WebGPU adapter is available.
 *
 * @example Usage
 * ```ts
 * import { hasRealGpu } from "@lib/backend/init.ts";
 * console.log(await hasRealGpu()); // false on a machine without a GPU
 * ```
 * @returns `true` for a real GPU adapter.
 */
export async function hasRealGpu(): Promise<boolean> {
  const gpu = (globalThis.navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) return false;
  try {
    const adapter = await gpu.requestAdapter();
    return adapter !== null && !adapter.info.isFallbackAdapter;
  } catch {
    return false;
  }
}

let chosen: Promise<BackendName> | undefined;

/**
 * Selects and initialises the tfjs backend once per process (later calls return the
 * same choice). Pass a name to override `KATA_BACKEND` on the first call.
 *
 * @example Usage
 * ```ts
 * import { initBackend } from "@lib/backend/init.ts";
 * import * as tf from "@tensorflow/tfjs";
 * await initBackend();
 * console.log(tf.getBackend());
 * ```
 * @param name The backend to use instead of `KATA_BACKEND`.
 * @returns The backend now active.
 */
export function initBackend(name?: BackendName): Promise<BackendName> {
  chosen ??= (async () => {
    const wanted = name ?? requestedBackend() ?? (await hasRealGpu() ? "webgpu" : "wasm");
    if (wanted === "webgpu") await import("@tensorflow/tfjs-backend-webgpu");
    if (wanted === "wasm") {
      registerWasmTrainingKernels();
      registerFastTransposedMatMul();
      registerSharedCopies();
      enableWasmThreads(); // KATA_WASM_THREADS; default 1 (see wasm_threads.ts)
    }
    if (!(await tf.setBackend(wanted))) {
      throw new Error(`the tfjs backend "${wanted}" failed to initialise; try KATA_BACKEND=wasm`);
    }
    await tf.ready();
    // The cpu backend prints its banner on first use; mark it used.
    if (wanted === "cpu") (tf.backend() as unknown as { firstUse: boolean }).firstUse = false;
    return wanted;
  })();
  return chosen;
}
