import { assertEquals, assertThrows } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { DEFAULT_REPRO_ENV, type Outcome, parseSoakArgs, summarize } from "./soak.ts";

const ok: Outcome = { code: 0, signal: null, lastLine: "" };

describe("deno task soak: arguments", () => {
  it("soaks the reproduction 200 times under deno test, as the project loads it, by default", () => {
    assertEquals(parseSoakArgs(["repro"]), {
      subject: "repro",
      runs: 200,
      deno: "test",
      hogs: 0,
      env: { ...DEFAULT_REPRO_ENV },
      names: [],
    });
    assertEquals(DEFAULT_REPRO_ENV, { REPRO_GPU: "guard", REPRO_TFJS: "1", REPRO_ORT: "1" });
  });

  it("takes REPRO_* settings (replacing the default ones), runs, hogs and deno run", () => {
    const options = parseSoakArgs(["repro", "--runs", "7", "--hogs=2", "--deno", "run", "REPRO_GPU=1"]);
    assertEquals(options.env, { REPRO_GPU: "1" });
    assertEquals([options.runs, options.hogs, options.deno], [7, 2, "run"]);
  });

  it("soaks every kata, or the named ones, 100 times by default", () => {
    assertEquals(parseSoakArgs(["katas"]).runs, 100);
    assertEquals(parseSoakArgs(["katas", "01", "06-batchnorm-regression"]).names, [
      "01",
      "06-batchnorm-regression",
    ]);
  });

  it("rejects a missing subject, a bad count, a setting that is not REPRO_*, and katas under deno run", () => {
    assertThrows(() => parseSoakArgs([]), Error, '"repro" or "katas"');
    assertThrows(() => parseSoakArgs(["repro", "--runs", "0"]), Error, "--runs");
    assertThrows(() => parseSoakArgs(["repro", "--runs", "2.5"]), Error, "--runs");
    assertThrows(() => parseSoakArgs(["repro", "--hogs", "-1"]), Error, "--hogs");
    assertThrows(() => parseSoakArgs(["repro", "HOME=/"]), Error, "REPRO_NAME=value");
    assertThrows(() => parseSoakArgs(["repro", "--deno", "bench"]), Error, "--deno");
    assertThrows(() => parseSoakArgs(["katas", "--deno", "run"]), Error, "deno test only");
  });
});

describe("deno task soak: counting", () => {
  it("summarizes runs, aborts with their share, and each exit code's count in order", () => {
    const outcomes = [ok, { ...ok, code: 139 }, ok, { ...ok, code: 1 }, { ...ok, code: 134 }];
    assertEquals(
      summarize("x", outcomes),
      "x: 5 runs, 2 aborted (40.0 %); exit codes: 0 ×2, 1 ×1, 134 ×1, 139 ×1",
    );
    assertEquals(summarize("none", []), "none: 0 runs, 0 aborted; exit codes: none");
  });
});
