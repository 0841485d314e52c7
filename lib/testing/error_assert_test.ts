import { assertThrows } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { assertClearError } from "./error_assert.ts";
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
