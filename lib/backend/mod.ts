/**
 * The tfjs backend the katas run on, and what this project adds to it.
 *
 * `init.ts` chooses and initialises the backend (`KATA_BACKEND`: wasm by default, webgpu, cpu);
 * `wasm_kernels.ts`, `wasm_matmul.ts` and `wasm_shared_copies.ts` add or replace kernels of tfjs-backend-
 * wasm 4.22 (training Embedding and Conv2D layers, fast transposed products, copy-free Identity and Cast);
 * `wasm_threads.ts` (with `wasm_threads_worker.ts`) runs the threaded wasm build in Deno
 * (`KATA_WASM_THREADS`).
 *
 * @example Usage
 * ```ts
 * import { initBackend } from "@lib/backend/mod.ts";
 * console.log(await initBackend()); // "wasm" unless KATA_BACKEND says otherwise
 * ```
 * @module
 */
export * from "./init.ts";
export * from "./wasm_kernels.ts";
export * from "./wasm_matmul.ts";
export * from "./wasm_shared_copies.ts";
export * from "./wasm_threads.ts";
export * from "./host_copy.ts";
