import { assertEquals, assertThrows } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { formatMs, median, parseArgs, parseBenchJson, SECTIONS } from "./bench.ts";

const BENCH_JSON = JSON.stringify(
  {
    version: 1,
    benches: [
      {
        origin: "file:///repo/bench/backends_bench.ts",
        group: "matmul 256²",
        name: "matmul 256² wasm×2",
        baseline: true,
        results: [{ ok: { n: 30, min: 2_000_000, avg: 2_500_000, p75: 2_600_000 } }],
      },
      {
        origin: "file:///repo/bench/backends_bench.ts",
        group: null,
        name: "lonely",
        results: [{ ok: { n: 1, min: 5e8, avg: 5e8, p75: 5e8 } }],
      },
      {
        origin: "file:///repo/bench/broken_bench.ts",
        group: null,
        name: "broken",
        results: [{ failed: "boom" }],
      },
    ],
  },
  null,
  2,
);

describe("bench runner", () => {
  it("reads deno bench --json in milliseconds, skipping output printed before it and failed benches", () => {
    const rows = parseBenchJson(`webgpu skipped\n{not json yet\n${BENCH_JSON}`, "file:///repo/");
    assertEquals(rows, [
      {
        file: "bench/backends_bench.ts",
        group: "matmul 256²",
        name: "matmul 256² wasm×2",
        n: 30,
        minMs: 2,
        avgMs: 2.5,
        p75Ms: 2.6,
      },
      {
        file: "bench/backends_bench.ts",
        group: "lonely",
        name: "lonely",
        n: 1,
        minMs: 500,
        avgMs: 500,
        p75Ms: 500,
      },
    ]);
  });

  it("returns no rows when there is no JSON document", () => {
    assertEquals(parseBenchJson("error: Module not found", "file:///repo/"), []);
  });

  it("takes medians of odd and even counts", () => {
    assertEquals([median([5, 1, 3]), median([4, 1, 3, 2]), Number.isNaN(median([]))], [3, 2.5, true]);
  });

  it("formats durations in µs, ms or s", () => {
    assertEquals([formatMs(0.0421), formatMs(3.14159), formatMs(412.6), formatMs(61_000), formatMs(NaN)], [
      "42 µs",
      "3.1 ms",
      "413 ms",
      "61.0 s",
      "–",
    ]);
  });

  it("reads --runs, --only and --katas, both spellings, defaulting to 3 runs of everything", () => {
    assertEquals(parseArgs([]), { runs: 3, only: new Set(SECTIONS), kataNames: [] });
    assertEquals(parseArgs(["--runs=1", "--only", "bench,torch", "--katas", "01,3"]), {
      runs: 1,
      only: new Set(["bench", "torch"]),
      kataNames: ["01", "3"],
    });
  });

  it("rejects bad arguments naming what is allowed", () => {
    assertThrows(() => parseArgs(["--runs", "0"]), Error, "whole number");
    assertThrows(() => parseArgs(["--only", "gpu"]), Error, "use bench,torch,katas,loop,solutions");
    assertThrows(() => parseArgs(["--fast"]), Error, "usage: deno task bench");
  });
});
