/**
 * An assertion for a learner's input checks: the function must reject bad input with an error of
 * its own, not the stub's `NotImplementedError`, and say what was wrong.
 *
 * @example Usage
 * ```ts
 * import { assertClearError } from "@lib/testing/error_assert.ts";
 * const sqrt = (x: number) => {
 *   if (x < 0) throw new RangeError(`sqrt of a negative number: ${x}`);
 *   return Math.sqrt(x);
 * };
 * assertClearError(() => sqrt(-4), "-4");
 * assertClearError(() => sqrt(-4), /negative/);
 * ```
 * @module
 */
import { assert, assertThrows } from "@std/assert";
import { NotImplementedError } from "./not_implemented.ts";

/**
 * Asserts `fn` throws a clear error of its own (not the stub's) whose message contains `expected`
 * (a string) or matches it (a regular expression).
 *
 * @example Usage
 * ```ts
 * import { assertClearError } from "@lib/testing/error_assert.ts";
 * assertClearError(() => JSON.parse("{"), /JSON/);
 * ```
 * @param fn The call that must fail.
 * @param expected A fragment or pattern of the message.
 */
export function assertClearError(fn: () => unknown, expected: string | RegExp): void {
  const error = assertThrows(fn) as Error;
  assert(!(error instanceof NotImplementedError), `expected a validation error, got "${error.message}"`);
  if (typeof expected === "string") {
    assert(
      error.message.includes(expected),
      `expected the error message to mention "${expected}", got "${error.message}"`,
    );
  } else {
    assert(
      expected.test(error.message),
      `expected the error message to match ${expected}, got "${error.message}"`,
    );
  }
}
