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
  checkClearError(assertThrows(fn) as Error, expected);
}

/**
 * The promise `fn` returns must reject like {@linkcode assertClearError} asks, and with an instance of
 * `ErrorClass` when one is given (e.g. a `RangeError` for a parameter out of range).
 *
 * @example Usage
 * ```ts
 * import { assertRejectsClearly } from "@lib/testing/error_assert.ts";
 * const load = async (k: number) => {
 *   if (k < 2) throw new RangeError(`folds: k must be at least 2, got ${k}`);
 * };
 * await assertRejectsClearly(() => load(1), "folds", RangeError);
 * ```
 * @param fn The call whose promise must reject.
 * @param expected A fragment or pattern of the message.
 * @param ErrorClass The class the error must be an instance of.
 */
export async function assertRejectsClearly(
  fn: () => Promise<unknown>,
  expected: string | RegExp,
  // deno-lint-ignore no-explicit-any
  ErrorClass?: new (...args: any[]) => Error,
): Promise<void> {
  let error: unknown;
  try {
    await fn();
  } catch (e) {
    error = e;
  }
  assert(error !== undefined, `expected a rejection mentioning "${expected}", but the promise resolved`);
  if (ErrorClass) {
    assert(
      error instanceof ErrorClass,
      `expected a ${ErrorClass.name} mentioning "${expected}", got ${error}`,
    );
  }
  checkClearError(error as Error, expected);
}

function checkClearError(error: Error, expected: string | RegExp): void {
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
