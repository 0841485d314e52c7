import { assertRejects, assertThrows } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { assertClearError, assertRejectsClearly } from "./error_assert.ts";
import { notImplemented } from "./not_implemented.ts";

describe("assertClearError", () => {
  const reject = () => {
    throw new Error("expected 784 columns, got 783");
  };

  it("passes for the learner's own error that mentions or matches what was asked", () => {
    assertClearError(reject, "784");
    assertClearError(reject, /got \d+/);
  });

  it("fails for the stub's NotImplementedError, a vague message, or no error at all", () => {
    assertThrows(() => assertClearError(() => notImplemented("f", 1), "f"), Error, "validation error");
    assertThrows(() => assertClearError(reject, "shape"), Error, 'mention "shape"');
    assertThrows(() => assertClearError(reject, /shape/), Error, "match /shape/");
    assertThrows(() => assertClearError(() => 1, "x"));
  });
});

describe("assertRejectsClearly", () => {
  const rejectK = async (k: number) => {
    await Promise.resolve();
    if (k < 2) throw new RangeError(`folds: k must be at least 2, got ${k}`);
  };

  it("passes for a rejection of the asked class that mentions what was asked", async () => {
    await assertRejectsClearly(() => rejectK(1), "folds", RangeError);
    await assertRejectsClearly(() => rejectK(0), /got 0/);
  });

  it("fails for a resolved promise, another class, the stub's error or a vague message", async () => {
    await assertRejects(() => assertRejectsClearly(() => rejectK(5), "folds"), Error, "resolved");
    await assertRejects(() => assertRejectsClearly(() => rejectK(1), "folds", TypeError), Error, "TypeError");
    await assertRejects(
      () =>
        assertRejectsClearly(
          () => Promise.resolve().then(() => notImplemented("crossValidate", 6)),
          "crossValidate",
        ),
      Error,
      "validation error",
    );
    await assertRejects(() => assertRejectsClearly(() => rejectK(1), "seed"), Error, 'mention "seed"');
  });
});
