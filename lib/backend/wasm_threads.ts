/**
 * Multithreaded tfjs wasm in Deno: `KATA_WASM_THREADS=N` runs tfjs-backend-wasm's threaded
 * SIMD build with N threads (at most 8). The default, {@linkcode DEFAULT_WASM_THREADS}, is 1:
 * the single-threaded SIMD build, because the katas' many small ops ran slower threaded on the
 * 2-core machine this project is budgeted for (BENCHMARKS.md has the numbers); large matrix
 * products do gain.
 *
 * tfjs-backend-wasm 4.22 ships a threaded SIMD build but never uses it here, for three
 * reasons this module works around, each for the duration of one backend initialisation
 * (and a fourth, that the pool would keep the process alive, handled by `ref()` below):
 *
 * 1. Its `WASM_HAS_MULTITHREAD_SUPPORT` flag returns `false` whenever `IS_NODE` is true,
 *    and Deno's npm layer makes tfjs believe it runs in Node. The flag is set to `true`.
 * 2. In "Node" mode emscripten starts each pthread with `require("worker_threads").Worker`
 *    on a `blob:` URL of a classic worker script that `require`s Node modules: nothing a
 *    Deno worker can run. `Worker` on that module is swapped for a subclass that starts
 *    `wasm_threads_worker.ts` instead (which gives the script the browser-worker globals
 *    it expects); the original is put back as soon as emscripten made its pool.
 * 3. The C++ side caps the thread count at `logical cores / 2` (it assumes two hyper-threads
 *    per core), so a 2-core machine gets 1 thread whatever it asks for. `os.cpus()`, which
 *    emscripten asks once, reports twice the requested count for that one call.
 *
 * @example Usage
 * ```ts ignore
 * import * as tf from "@tensorflow/tfjs";
 * import "@tensorflow/tfjs-backend-wasm";
 * import { getThreadsCount } from "@tensorflow/tfjs-backend-wasm";
 * import { enableWasmThreads } from "@lib/backend/wasm_threads.ts";
 * enableWasmThreads(2);
 * await tf.setBackend("wasm");
 * console.log(getThreadsCount()); // 2
 * ```
 * @module
 */
import os from "node:os";
import workerThreads from "node:worker_threads";
import * as tf from "@tensorflow/tfjs";
import { setThreadsCount } from "@tensorflow/tfjs-backend-wasm";
import { readSetting } from "../core/settings.ts";

/** The most threads tfjs-backend-wasm can use: emscripten pre-starts a pool of 8 workers. */
export const MAX_WASM_THREADS = 8;

/**
 * The thread count when `KATA_WASM_THREADS` is unset: 1, the single-threaded build. Threaded,
 * every small op wakes the pool's other threads, and on 2 cores that cost more than the kata
 * suites gained (BENCHMARKS.md, "Multithreaded wasm").
 */
export const DEFAULT_WASM_THREADS = 1;

const WORKER_SCRIPT = new URL("./wasm_threads_worker.ts", import.meta.url);

/**
 * The thread count asked for by `KATA_WASM_THREADS`, else {@linkcode DEFAULT_WASM_THREADS},
 * at most {@linkcode MAX_WASM_THREADS}. Throws a clear error for a value that is not a
 * positive integer.
 *
 * @example Usage
 * ```ts
 * import { requestedWasmThreads } from "@lib/backend/wasm_threads.ts";
 * console.log(requestedWasmThreads()); // 1 unless KATA_WASM_THREADS says otherwise
 * ```
 * @returns The number of threads to use.
 */
export function requestedWasmThreads(): number {
  const raw = readSetting("KATA_WASM_THREADS");
  if (!raw) return DEFAULT_WASM_THREADS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(
      `KATA_WASM_THREADS="${raw}" is not a thread count; use a whole number from 1 to ${MAX_WASM_THREADS}`,
    );
  }
  return Math.min(n, MAX_WASM_THREADS);
}

/**
 * Makes the next initialisation of tfjs's `wasm` backend load the threaded SIMD build with
 * `threads` threads. Call it before `tf.setBackend("wasm")`. Does nothing, and returns
 * `false`, when `threads` is 1, when the runtime lacks `SharedArrayBuffer`, or when the wasm
 * backend is already initialised.
 *
 * @example Usage
 * ```ts ignore
 * import * as tf from "@tensorflow/tfjs";
 * import "@tensorflow/tfjs-backend-wasm";
 * import { enableWasmThreads } from "@lib/backend/wasm_threads.ts";
 * enableWasmThreads();
 * await tf.setBackend("wasm");
 * ```
 * @param threads How many threads XNNPACK may use (default {@linkcode requestedWasmThreads}).
 * @returns Whether the threaded build will be used.
 */
export function enableWasmThreads(threads: number = requestedWasmThreads()): boolean {
  const count = Math.min(Math.floor(threads), MAX_WASM_THREADS);
  if (count <= 1 || typeof SharedArrayBuffer === "undefined" || tf.engine().registry.wasm) return false;
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", true);
  setThreadsCount(count);

  const cpus = os.cpus;
  os.cpus = () => {
    os.cpus = cpus;
    // Only the length is read; the real call would need --allow-sys.
    const times = { user: 0, nice: 0, sys: 0, idle: 0, irq: 0 };
    return Array.from({ length: 2 * count }, () => ({ model: "wasm thread", speed: 0, times }));
  };

  const NodeWorker = workerThreads.Worker;
  const WebWorker = globalThis.Worker;
  class PthreadWorker extends NodeWorker {
    constructor(script: string | URL) {
      super(WORKER_SCRIPT, { workerData: { script: String(script) } });
      // emscripten assigned this class to the global `Worker` and now starts its whole pool
      // synchronously; once it is done, give both names back their real classes.
      queueMicrotask(() => {
        workerThreads.Worker = NodeWorker;
        globalThis.Worker = WebWorker;
      });
    }

    /** emscripten refs a worker while it runs a pthread; XNNPACK's pool threads run
     * forever, so that would keep the process alive after its last line. */
    override ref(): void {}
  }
  workerThreads.Worker = PthreadWorker;
  return true;
}
