import * as tf from "@tensorflow/tfjs";
import { assertEquals, assertThrows } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { initBackend, requestedBackend } from "./init.ts";

function withEnv(value: string | undefined, fn: () => void): void {
  const saved = Deno.env.get("KATA_BACKEND");
  value === undefined ? Deno.env.delete("KATA_BACKEND") : Deno.env.set("KATA_BACKEND", value);
  try {
    fn();
  } finally {
    saved === undefined ? Deno.env.delete("KATA_BACKEND") : Deno.env.set("KATA_BACKEND", saved);
  }
}

describe("backend selection", () => {
  it("reads KATA_BACKEND, case-insensitively", () => {
    withEnv("CPU", () => assertEquals(requestedBackend(), "cpu"));
    withEnv(undefined, () => assertEquals(requestedBackend(), undefined));
  });

  it("rejects an unknown backend naming the valid ones", () => {
    withEnv("tpu", () => assertThrows(() => requestedBackend(), Error, "use one of: wasm, webgpu, cpu"));
  });

  it("initialises once and reports the active backend", async () => {
    const name = await initBackend();
    assertEquals(tf.getBackend(), name);
    assertEquals(await initBackend("cpu"), name, "a later call keeps the first choice");
  });
});
