/**
 * Backend selection for every kata: `KATA_BACKEND=wasm|webgpu|cpu`.
 *
 * - Unset: `wasm`, unless a real (non-fallback) WebGPU adapter exists, then `webgpu`. The probe
 *   ({@linkcode hasRealGpu}) asks only the platform's native GPU API (Vulkan, Metal, Direct3D 12),
 *   never OpenGL: Mesa's OpenGL software adapter loads libEGL, whose exit-time teardown made Deno
 *   abort after the last test (RELIABILITY.md).
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

/** The variable Deno's WebGPU reads, once per runtime, for the wgpu backends it may use. */
export const WEBGPU_BACKEND_VAR = "DENO_WEBGPU_BACKEND";

/**
 * The wgpu backends {@linkcode hasRealGpu} lets Deno's WebGPU try: the platform's native GPU API,
 * never OpenGL (`gl`). A real GPU is reached through them; Mesa's OpenGL software rasteriser
 * (llvmpipe), which is what OpenGL finds on a machine without one, is not. Trying OpenGL loads
 * libEGL (libglvnd) into the process, and its destructor frees every thread's EGL state at
 * `exit()` while the thread `deno test` ran the module on may still be exiting and freeing its
 * own: a double free, and Deno aborts after the last test (RELIABILITY.md).
 *
 * @example Usage
 * ```ts
 * import { nativeGpuApis } from "@lib/backend/init.ts";
 * console.log(nativeGpuApis("linux")); // "vulkan"
 * ```
 * @param os The operating system (default: this one).
 * @returns A `DENO_WEBGPU_BACKEND` value: comma-separated wgpu backend names.
 */
export function nativeGpuApis(os: typeof Deno.build.os = Deno.build.os): string {
  if (os === "darwin") return "metal";
  if (os === "windows") return "dx12,vulkan";
  return "vulkan";
}

/**
 * Runs `probe` with {@linkcode WEBGPU_BACKEND_VAR} set to {@linkcode nativeGpuApis} (unless the
 * user set it: their choice stands), then restores the variable. Returns `undefined` without
 * running `probe` when the variable cannot be read or set (no `--allow-env` for it), because then
 * OpenGL cannot be kept out.
 */
async function withoutOpenGl<T>(probe: () => Promise<T>): Promise<T | undefined> {
  let restore: () => void;
  try {
    if (Deno.env.get(WEBGPU_BACKEND_VAR) !== undefined) restore = () => {};
    else {
      Deno.env.set(WEBGPU_BACKEND_VAR, nativeGpuApis());
      restore = () => Deno.env.delete(WEBGPU_BACKEND_VAR);
    }
  } catch {
    return undefined; // no permission for the variable
  }
  try {
    return await probe(); // Deno reads the variable when the runtime's first adapter request starts
  } finally {
    restore();
  }
}

/**
 * Whether a hardware (non-fallback) WebGPU adapter is available through the platform's native GPU
 * API ({@linkcode nativeGpuApis}; OpenGL is never tried). `false` without WebGPU, and without
 * permission to read and set `DENO_WEBGPU_BACKEND` (`--allow-env`), since OpenGL could then not be
 * kept out.
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
    const adapter = await withoutOpenGl(() => gpu.requestAdapter());
    return adapter !== undefined && adapter !== null && !adapter.info.isFallbackAdapter;
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
