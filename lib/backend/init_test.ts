import * as tf from "@tensorflow/tfjs";
import { assert, assertEquals, assertThrows } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { hasRealGpu, initBackend, nativeGpuApis, requestedBackend, WEBGPU_BACKEND_VAR } from "./init.ts";

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

/** Replaces `navigator.gpu` with a fake whose `requestAdapter` records `DENO_WEBGPU_BACKEND` as it is called. */
async function withFakeGpu(
  adapter: () => GPUAdapter | null,
  fn: (calls: (string | undefined)[]) => Promise<void>,
): Promise<void> {
  const calls: (string | undefined)[] = [];
  const requestAdapter = () => {
    calls.push(Deno.env.get(WEBGPU_BACKEND_VAR));
    return Promise.resolve(adapter());
  };
  Object.defineProperty(navigator, "gpu", { value: { requestAdapter }, configurable: true });
  try {
    await fn(calls);
  } finally {
    delete (navigator as { gpu?: GPU }).gpu; // the prototype's getter answers again
  }
}

const adapterWith = (isFallbackAdapter: boolean) => () => ({ info: { isFallbackAdapter } }) as GPUAdapter;

describe("the GPU probe keeps OpenGL out (the exit abort, RELIABILITY.md)", () => {
  it("asks each platform's native GPU API, never OpenGL", () => {
    assertEquals(nativeGpuApis("linux"), "vulkan");
    assertEquals(nativeGpuApis("darwin"), "metal");
    assertEquals(nativeGpuApis("windows"), "dx12,vulkan");
    for (const os of ["linux", "darwin", "windows", "freebsd", "android"] as const) {
      assert(!/\b(gl|opengl|gles)\b/.test(nativeGpuApis(os)), `${os}: ${nativeGpuApis(os)}`);
    }
  });

  it("sets DENO_WEBGPU_BACKEND for the adapter request only, and keeps a value the user set", async () => {
    const saved = Deno.env.get(WEBGPU_BACKEND_VAR);
    try {
      Deno.env.delete(WEBGPU_BACKEND_VAR);
      await withFakeGpu(adapterWith(false), async (calls) => {
        assertEquals(await hasRealGpu(), true);
        assertEquals(calls, [nativeGpuApis()]);
        assertEquals(Deno.env.get(WEBGPU_BACKEND_VAR), undefined, "restored after the probe");
      });
      Deno.env.set(WEBGPU_BACKEND_VAR, "gl");
      await withFakeGpu(adapterWith(false), async (calls) => {
        await hasRealGpu();
        assertEquals(calls, ["gl"], "the user's choice stands");
        assertEquals(Deno.env.get(WEBGPU_BACKEND_VAR), "gl");
      });
    } finally {
      saved === undefined ? Deno.env.delete(WEBGPU_BACKEND_VAR) : Deno.env.set(WEBGPU_BACKEND_VAR, saved);
    }
  });

  it("counts only a real adapter: a fallback one, none, or a failing request is no GPU", async () => {
    await withFakeGpu(adapterWith(true), async () => assertEquals(await hasRealGpu(), false));
    await withFakeGpu(() => null, async () => assertEquals(await hasRealGpu(), false));
    await withFakeGpu(() => {
      throw new Error("adapter lost");
    }, async () => assertEquals(await hasRealGpu(), false));
  });

  it("does not probe at all when it may not set DENO_WEBGPU_BACKEND", async () => {
    const get = Deno.env.get;
    Deno.env.get = () => {
      throw new Deno.errors.NotCapable(`Requires env access to "${WEBGPU_BACKEND_VAR}"`);
    };
    try {
      await withFakeGpu(adapterWith(false), async (calls) => {
        assertEquals(await hasRealGpu(), false);
        assertEquals(calls.length, 0, "requestAdapter must not be called");
      });
    } finally {
      Deno.env.get = get;
    }
  });

  // KATA_BACKEND=webgpu lets tfjs request an adapter of any kind, OpenGL included, in this process.
  const webgpuAsked = Deno.env.get("KATA_BACKEND")?.trim().toLowerCase() === "webgpu";
  it(
    "on Linux, probing leaves libEGL unloaded",
    { ignore: Deno.build.os !== "linux" || webgpuAsked },
    async () => {
      await hasRealGpu();
      const maps = await Deno.readTextFile("/proc/self/maps");
      assert(!maps.includes("libEGL"), "the WebGPU probe loaded libEGL: OpenGL was tried");
    },
  );
});
