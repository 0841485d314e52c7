import os from "node:os";
import workerThreads from "node:worker_threads";
import * as tf from "@tensorflow/tfjs";
import { getThreadsCount } from "@tensorflow/tfjs-backend-wasm";
import { assert, assertEquals, assertThrows } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { assertTensorClose } from "../testing/tensor_assert.ts";
import {
  DEFAULT_WASM_THREADS,
  enableWasmThreads,
  MAX_WASM_THREADS,
  requestedWasmThreads,
} from "./wasm_threads.ts";

function withThreadsEnv(value: string | undefined, fn: () => void): void {
  const saved = Deno.env.get("KATA_WASM_THREADS");
  value === undefined ? Deno.env.delete("KATA_WASM_THREADS") : Deno.env.set("KATA_WASM_THREADS", value);
  try {
    fn();
  } finally {
    saved === undefined ? Deno.env.delete("KATA_WASM_THREADS") : Deno.env.set("KATA_WASM_THREADS", saved);
  }
}

// This test module owns the wasm backend of its isolate: it starts it threaded, once.
const NodeWorker = workerThreads.Worker;
const WebWorker = globalThis.Worker;
const cpus = os.cpus;
const enabled = enableWasmThreads(2);
const ready = tf.setBackend("wasm");

describe("multithreaded wasm", () => {
  it("reads KATA_WASM_THREADS, defaulting to one thread and capping at 8", () => {
    withThreadsEnv("3", () => assertEquals(requestedWasmThreads(), 3));
    withThreadsEnv(" 2 ", () => assertEquals(requestedWasmThreads(), 2));
    withThreadsEnv("64", () => assertEquals(requestedWasmThreads(), MAX_WASM_THREADS));
    withThreadsEnv(undefined, () => assertEquals(requestedWasmThreads(), DEFAULT_WASM_THREADS));
    assertEquals(DEFAULT_WASM_THREADS, 1);
  });

  it("rejects a thread count that is not a positive whole number", () => {
    for (const bad of ["0", "two", "1.5", "-2"]) {
      withThreadsEnv(
        bad,
        () => assertThrows(() => requestedWasmThreads(), Error, "whole number from 1 to 8"),
      );
    }
  });

  it("starts the threaded build with the requested thread count", async () => {
    assert(enabled, "enableWasmThreads(2) should take effect before the first wasm initialisation");
    assert(await ready, "the threaded wasm backend failed to initialise");
    assertEquals(getThreadsCount(), 2);
  });

  it("puts back Worker and os.cpus once the backend is up", async () => {
    await ready;
    assert(globalThis.Worker === WebWorker, "globalThis.Worker is still emscripten's");
    assert(workerThreads.Worker === NodeWorker, "node:worker_threads Worker is still the pthread class");
    assert(os.cpus === cpus, "os.cpus is still patched");
  });

  it("does nothing once the wasm backend is initialised", async () => {
    await ready;
    assertEquals(enableWasmThreads(2), false);
  });

  it("multiplies matrices like a plain loop does", async () => {
    await ready;
    const [m, k, n] = [96, 200, 64];
    const a = tf.randomUniform([m, k], -1, 1, "float32", 1);
    const b = tf.randomUniform([k, n], -1, 1, "float32", 2);
    const [av, bv] = [a.dataSync(), b.dataSync()];
    const expected = new Float32Array(m * n);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let p = 0; p < k; p++) sum += av[i * k + p] * bv[p * n + j];
        expected[i * n + j] = sum;
      }
    }
    const product = tf.matMul(a, b);
    assertTensorClose(product, tf.tensor2d(expected, [m, n]), { atol: 1e-4 }, "threaded wasm matMul");
    tf.dispose([a, b, product]);
  });
});
