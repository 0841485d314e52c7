/**
 * The reproduction of issue 23: Deno 2.9.6 aborting at exit ("double free or corruption",
 * "malloc_consolidate(): unaligned fastbin chunk detected", exit code 134, or a SIGSEGV, 139) after
 * every test has passed. `tools/reliability/soak.ts` runs it many times and counts exit codes; see
 * RELIABILITY.md.
 *
 * The work happens at the module's top level, so the same file runs under `deno run` (on Deno's
 * main thread) and under `deno test` (on the thread `deno test` starts for the module); one trivial
 * test gives `deno test` something to report. What it does is chosen with `REPRO_*` variables:
 *
 * | variable          | effect                                                                       |
 * | ----------------- | ---------------------------------------------------------------------------- |
 * | `REPRO_GPU=1`     | `navigator.gpu.requestAdapter()`, as `lib/backend/init.ts` probed for a real GPU  |
 * | `REPRO_GPU=guard` | the same probe through `hasRealGpu()`, which keeps OpenGL (EGL) out (the fix)|
 * | `REPRO_TFJS=1`    | tfjs-backend-wasm: a few ops and a gradient (`REPRO_THREADS=N`: N threads)   |
 * | `REPRO_ORT=1`     | onnxruntime-web: a session on `fixtures/models/fashion_mlp.onnx`, one run    |
 * | `REPRO_RELEASE=1` | release the onnxruntime session (and dispose tfjs's backend) before the end  |
 * | `REPRO_EXIT=1`    | end with `Deno.exit(0)` instead of returning                                 |
 *
 * @example Usage
 * ```sh
 * REPRO_GPU=1 deno test -A repro/abort/exit_abort.ts   # aborts in about 1 run in 100 on 2 busy cores
 * REPRO_GPU=1 deno run -A repro/abort/exit_abort.ts    # never aborted
 * ```
 * @module
 */
import type { Scalar } from "@tensorflow/tfjs";

const flag = (name: string): string => Deno.env.get(`REPRO_${name}`) ?? "";
const release = flag("RELEASE") === "1";

if (flag("GPU") === "1") {
  const adapter = await navigator.gpu.requestAdapter();
  console.log(`adapter: ${adapter?.info.description ?? "none"}`);
} else if (flag("GPU") === "guard") {
  const { hasRealGpu } = await import("../../lib/backend/init.ts");
  console.log(`real GPU: ${await hasRealGpu()}`);
}

if (flag("TFJS") === "1") {
  const tf = await import("@tensorflow/tfjs");
  const { setThreadsCount } = await import("@tensorflow/tfjs-backend-wasm");
  const { enableWasmThreads } = await import("../../lib/wasm_threads.ts");
  const threads = Number(flag("THREADS") || "1");
  if (threads > 1) enableWasmThreads(threads);
  else setThreadsCount(1);
  await tf.setBackend("wasm");
  const x = tf.randomNormal([64, 32], 0, 1, "float32", 1);
  const w = tf.variable(tf.randomNormal([32, 8], 0, 1, "float32", 2));
  const { value, grads } = tf.variableGrads(() => tf.matMul(x, w).relu().mean() as Scalar);
  console.log(
    `tfjs: loss ${(await value.data())[0].toFixed(4)}, |grad| ${(await grads[w.name].norm().data())[0]}`,
  );
  if (release) tf.engine().reset();
}

if (flag("ORT") === "1") {
  const ort = await import("onnxruntime-web");
  ort.env.wasm.numThreads = 1;
  const session = await ort.InferenceSession.create(
    await Deno.readFile(new URL("../../fixtures/models/fashion_mlp.onnx", import.meta.url)),
  );
  const input = new ort.Tensor("float32", new Float32Array(4 * 784).fill(0.5), [4, 784]);
  const out = await session.run({ [session.inputNames[0]]: input });
  console.log(`onnxruntime: output dims ${out[session.outputNames[0]].dims}`);
  if (release) await session.release();
}

if (flag("EXIT") === "1") Deno.exit(0);

Deno.test("exit_abort: the work above finished", () => {});
