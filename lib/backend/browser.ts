/**
 * The tfjs backend in a browser page (the lab): WebGPU when the browser offers an adapter, else WASM with the
 * kernels this project adds to tfjs-backend-wasm (as `init.ts` does in Deno, without Deno's thread setup),
 * and onnxruntime-web told where its wasm files are served.
 *
 * @example Usage
 * ```ts ignore
 * import { initBrowserBackend } from "@lib/backend/browser.ts";
 * const { backend, adapter } = await initBrowserBackend("auto", "./wasm/");
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import "@tensorflow/tfjs-backend-webgpu";
import * as ort from "onnxruntime-web";
import { registerWasmTrainingKernels } from "./wasm_kernels.ts";
import { registerFastTransposedMatMul } from "./wasm_matmul.ts";
import { registerSharedCopies } from "./wasm_shared_copies.ts";

/** What a page may ask for: a backend, or `auto` (WebGPU where there is an adapter, else WASM). */
export type BrowserBackendRequest = "auto" | "wasm" | "webgpu";

/** The backend a page runs on. */
export interface BrowserBackend {
  /** The active tfjs backend. */
  backend: "wasm" | "webgpu";
  /** The WebGPU adapter the browser offered, as `vendor/architecture` (e.g. `google/swiftshader`), if any. */
  adapter?: string;
}

/**
 * The browser's WebGPU adapter as `vendor/architecture`, or `undefined` when it offers none.
 *
 * @example Usage
 * ```ts ignore
 * import { webgpuAdapter } from "@lib/backend/browser.ts";
 * console.log(await webgpuAdapter()); // "google/swiftshader" on a software adapter
 * ```
 * @returns The adapter's description.
 */
export async function webgpuAdapter(): Promise<string | undefined> {
  const gpu = (globalThis.navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) return undefined;
  try {
    const adapter = await gpu.requestAdapter();
    return adapter
      ? `${adapter.info.vendor || "unknown"}/${adapter.info.architecture || "unknown"}`
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Initialises tfjs (and onnxruntime-web's file location) for a page.
 *
 * @example Usage
 * ```ts ignore
 * import { initBrowserBackend } from "@lib/backend/browser.ts";
 * await initBrowserBackend("wasm", "./wasm/", "./ort/");
 * ```
 * @param request The backend asked for.
 * @param wasmPath Where tfjs-backend-wasm's `.wasm` files are served (ends with `/`).
 * @param ortPath Where onnxruntime-web's `.wasm`/`.mjs` files are served (ends with `/`).
 * @returns The backend in use and the adapter, if any.
 * @throws {Error} When WebGPU was asked for and the browser has no adapter.
 */
export async function initBrowserBackend(
  request: BrowserBackendRequest,
  wasmPath: string,
  ortPath = wasmPath,
): Promise<BrowserBackend> {
  setWasmPaths(wasmPath);
  ort.env.wasm.wasmPaths = ortPath;
  const adapter = await webgpuAdapter();
  const backend = request === "auto" ? (adapter ? "webgpu" : "wasm") : request;
  if (backend === "webgpu" && !adapter) throw new Error("this browser offers no WebGPU adapter; use wasm");
  if (backend === "wasm") {
    registerWasmTrainingKernels();
    registerFastTransposedMatMul();
    registerSharedCopies();
  }
  if (!(await tf.setBackend(backend))) throw new Error(`the tfjs backend "${backend}" failed to initialise`);
  await tf.ready();
  return { backend, ...(adapter ? { adapter } : {}) };
}
