/**
 * A local stand-in for `jsr:@std/assert@^1`, used because the JSR registry cannot be
 * reached from the machines that build this project. Every export has the name,
 * parameter order and semantics of its `@std/assert` namesake, built on Deno's
 * built-in `node:assert`. To use the real module, point `@std/assert` in `deno.json`
 * at `jsr:@std/assert@^1`; no test changes.
 *
 * @example Usage
 * ```ts
 * import { assertEquals } from "@std/assert";
 * assertEquals({ a: [1, 2] }, { a: [1, 2] });
 * ```
 * @module
 */
import nodeAssert from "node:assert";
import { inspect } from "node:util";

/**
 * Error thrown when an assertion fails.
 *
 * @example Usage
 * ```ts
 * import { AssertionError } from "@std/assert";
 * const error = new AssertionError("boom");
 * console.log(error.name); // "AssertionError"
 * ```
 */
export class AssertionError extends Error {
  /**
   * Constructs a new instance.
   *
   * @param message The error message.
   * @param options Standard error options (`cause`).
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "AssertionError";
  }
}

function show(value: unknown): string {
  return inspect(value, { depth: 6, colors: false, compact: 3, breakLength: 100 });
}

function raise(defaultMessage: string, msg?: string): never {
  throw new AssertionError(msg ? `${msg}: ${defaultMessage}` : defaultMessage);
}

function deepEqual(actual: unknown, expected: unknown): boolean {
  try {
    nodeAssert.deepStrictEqual(actual, expected);
    return true;
  } catch {
    return false;
  }
}

/**
 * Make an assertion, error will be thrown if `expr` does not have truthy value.
 *
 * @example Usage
 * ```ts
 * import { assert } from "@std/assert";
 * assert(1 < 2);
 * ```
 * @param expr The expression to test.
 * @param msg The optional message to display if the assertion fails.
 */
export function assert(expr: unknown, msg = ""): asserts expr {
  if (!expr) throw new AssertionError(msg || "Expected expression to be truthy");
}

/**
 * Make an assertion that `actual` and `expected` are deeply equal.
 *
 * @example Usage
 * ```ts
 * import { assertEquals } from "@std/assert";
 * assertEquals([1, { a: 2 }], [1, { a: 2 }]);
 * ```
 * @typeParam T The type of the values to compare.
 * @param actual The actual value to compare.
 * @param expected The expected value to compare.
 * @param msg The optional message to display if the assertion fails.
 */
export function assertEquals<T>(actual: T, expected: T, msg?: string): void {
  if (!deepEqual(actual, expected)) {
    raise(`Values are not equal.\n\n    [Actual]: ${show(actual)}\n    [Expected]: ${show(expected)}`, msg);
  }
}

/**
 * Make an assertion that `actual` and `expected` are not deeply equal.
 *
 * @example Usage
 * ```ts
 * import { assertNotEquals } from "@std/assert";
 * assertNotEquals(1, 2);
 * ```
 * @typeParam T The type of the values to compare.
 * @param actual The actual value to compare.
 * @param expected The expected value to compare.
 * @param msg The optional message to display if the assertion fails.
 */
export function assertNotEquals<T>(actual: T, expected: T, msg?: string): void {
  if (deepEqual(actual, expected)) {
    raise(`Expected actual: ${show(actual)} not to be: ${show(expected)}`, msg);
  }
}

/**
 * Make an assertion that `actual` and `expected` are strictly equal (`Object.is`).
 *
 * @example Usage
 * ```ts
 * import { assertStrictEquals } from "@std/assert";
 * const a = {};
 * assertStrictEquals(a, a);
 * ```
 * @typeParam T The type of the expected value.
 * @param actual The actual value to compare.
 * @param expected The expected value to compare.
 * @param msg The optional message to display if the assertion fails.
 */
export function assertStrictEquals<T>(actual: unknown, expected: T, msg?: string): asserts actual is T {
  if (!Object.is(actual, expected)) {
    raise(
      `Values are not strictly equal.\n\n    [Actual]: ${show(actual)}\n    [Expected]: ${show(expected)}`,
      msg,
    );
  }
}

/**
 * Make an assertion that `actual` and `expected` are almost equal numbers, within
 * `tolerance` (default `1e-7`). Like `@std/assert`, a non-finite pair is equal only when
 * `Object.is` says so.
 *
 * @example Usage
 * ```ts
 * import { assertAlmostEquals } from "@std/assert";
 * assertAlmostEquals(0.1 + 0.2, 0.3);
 * assertAlmostEquals(3.14, Math.PI, 0.01);
 * ```
 * @param actual The actual value to compare.
 * @param expected The expected value to compare.
 * @param tolerance The tolerance to consider the values almost equal.
 * @param msg The optional message to display if the assertion fails.
 */
export function assertAlmostEquals(actual: number, expected: number, tolerance?: number, msg?: string): void {
  if (Object.is(actual, expected)) return;
  const delta = Math.abs(expected - actual);
  const tol = tolerance ?? 1e-7;
  if (delta <= tol) return;
  const f = (n: number) => Number.isInteger(n) ? n : n.toExponential();
  raise(
    `Expected actual: "${f(actual)}" to be close to "${f(expected)}": delta "${f(delta)}" is greater than "${
      f(tol)
    }"`,
    msg,
  );
}

function compare(
  ok: boolean,
  actual: unknown,
  expected: unknown,
  relation: string,
  msg?: string,
): void {
  if (!ok) raise(`Expect ${show(actual)} ${relation} ${show(expected)}`, msg);
}

/**
 * Make an assertion that `actual` is greater than `expected`.
 *
 * @example Usage
 * ```ts
 * import { assertGreater } from "@std/assert";
 * assertGreater(2, 1);
 * ```
 * @typeParam T The type of the values to compare.
 * @param actual The actual value to compare.
 * @param expected The expected value to compare.
 * @param msg The optional message to display if the assertion fails.
 */
export function assertGreater<T>(actual: T, expected: T, msg?: string): void {
  compare(actual > expected, actual, expected, ">", msg);
}

/**
 * Make an assertion that `actual` is greater than or equal to `expected`.
 *
 * @example Usage
 * ```ts
 * import { assertGreaterOrEqual } from "@std/assert";
 * assertGreaterOrEqual(2, 2);
 * ```
 * @typeParam T The type of the values to compare.
 * @param actual The actual value to compare.
 * @param expected The expected value to compare.
 * @param msg The optional message to display if the assertion fails.
 */
export function assertGreaterOrEqual<T>(actual: T, expected: T, msg?: string): void {
  compare(actual >= expected, actual, expected, ">=", msg);
}

/**
 * Make an assertion that `actual` is less than `expected`.
 *
 * @example Usage
 * ```ts
 * import { assertLess } from "@std/assert";
 * assertLess(1, 2);
 * ```
 * @typeParam T The type of the values to compare.
 * @param actual The actual value to compare.
 * @param expected The expected value to compare.
 * @param msg The optional message to display if the assertion fails.
 */
export function assertLess<T>(actual: T, expected: T, msg?: string): void {
  compare(actual < expected, actual, expected, "<", msg);
}

/**
 * Make an assertion that `actual` is less than or equal to `expected`.
 *
 * @example Usage
 * ```ts
 * import { assertLessOrEqual } from "@std/assert";
 * assertLessOrEqual(2, 2);
 * ```
 * @typeParam T The type of the values to compare.
 * @param actual The actual value to compare.
 * @param expected The expected value to compare.
 * @param msg The optional message to display if the assertion fails.
 */
export function assertLessOrEqual<T>(actual: T, expected: T, msg?: string): void {
  compare(actual <= expected, actual, expected, "<=", msg);
}

/**
 * Asserts that the string `actual` contains `expected`.
 *
 * @example Usage
 * ```ts
 * import { assertStringIncludes } from "@std/assert";
 * assertStringIncludes("Hello, world", "world");
 * ```
 * @param actual The string to search.
 * @param expected The text it must contain.
 * @param msg A message prefix for the failure.
 */
export function assertStringIncludes(actual: string, expected: string, msg?: string): void {
  if (!actual.includes(expected)) {
    raise(`Expected actual: "${actual}" to contain: "${expected}".`, msg);
  }
}

/**
 * Make an assertion that `actual` is not null or undefined.
 *
 * @example Usage
 * ```ts
 * import { assertExists } from "@std/assert";
 * assertExists("something");
 * ```
 * @typeParam T The type of the actual value.
 * @param actual The actual value to check.
 * @param msg The optional message to include in the error if the assertion fails.
 */
export function assertExists<T>(actual: T, msg?: string): asserts actual is NonNullable<T> {
  if (actual === undefined || actual === null) {
    throw new AssertionError(msg || `Expected actual: "${actual}" to not be null or undefined.`);
  }
}

// deno-lint-ignore no-explicit-any
type AnyConstructor = abstract new (...args: any[]) => any;

/**
 * Make an assertion that `obj` is an instance of `type`.
 *
 * @example Usage
 * ```ts
 * import { assertInstanceOf } from "@std/assert";
 * assertInstanceOf(new Date(), Date);
 * ```
 * @typeParam T The expected type of the object.
 * @param actual The object to check.
 * @param expectedType The expected class constructor.
 * @param msg The optional message to display if the assertion fails.
 */
export function assertInstanceOf<T extends AnyConstructor>(
  actual: unknown,
  expectedType: T,
  msg = "",
): asserts actual is InstanceType<T> {
  if (actual instanceof expectedType) return;
  const got = actual === null || actual === undefined
    ? String(actual)
    : (actual as object).constructor?.name ?? typeof actual;
  throw new AssertionError(
    msg || `Expected object to be an instance of "${expectedType.name}" but was "${got}".`,
  );
}

// deno-lint-ignore no-explicit-any
type ErrorClass<E extends Error> = abstract new (...args: any[]) => E;

function checkError<E extends Error>(
  error: unknown,
  ErrorClass?: ErrorClass<E>,
  msgIncludes?: string,
  msg?: string,
): E {
  if (ErrorClass) {
    if (!(error instanceof ErrorClass)) {
      raise(`Expected error to be instance of "${ErrorClass.name}", but was "${show(error)}".`, msg);
    }
    if (msgIncludes !== undefined && !String((error as Error).message).includes(msgIncludes)) {
      raise(
        `Expected error message to include ${show(msgIncludes)}, but got ${show((error as Error).message)}.`,
        msg,
      );
    }
  }
  return error as E;
}

/**
 * Executes a function, expecting it to throw. If it does not, then it throws. With an
 * error class (and optionally a message substring), also checks the thrown error.
 *
 * @example Usage
 * ```ts
 * import { assertThrows } from "@std/assert";
 * assertThrows(() => { throw new TypeError("bad"); }, TypeError, "bad");
 * ```
 * @param fn The function to execute.
 * @param ErrorClass The expected error class (optional).
 * @param msgIncludes A substring the error message must include (optional).
 * @param msg The optional message to display if the assertion fails.
 * @returns The thrown error.
 */
export function assertThrows(fn: () => unknown, msg?: string): unknown;
export function assertThrows<E extends Error = Error>(
  fn: () => unknown,
  ErrorClass: ErrorClass<E>,
  msgIncludes?: string,
  msg?: string,
): E;
export function assertThrows<E extends Error = Error>(
  fn: () => unknown,
  errorClassOrMsg?: ErrorClass<E> | string,
  msgIncludes?: string,
  msg?: string,
): E | unknown {
  const ErrorClass = typeof errorClassOrMsg === "string" ? undefined : errorClassOrMsg;
  const message = typeof errorClassOrMsg === "string" ? errorClassOrMsg : msg;
  try {
    fn();
  } catch (error) {
    return checkError(error, ErrorClass, msgIncludes, message);
  }
  return raise("Expected function to throw.", message);
}

/**
 * Executes a function which returns a promise, expecting it to reject. With an error
 * class (and optionally a message substring), also checks the rejection reason.
 *
 * @example Usage
 * ```ts
 * import { assertRejects } from "@std/assert";
 * await assertRejects(() => Promise.reject(new Error("no")), Error, "no");
 * ```
 * @param fn The function to execute.
 * @param ErrorClass The expected error class (optional).
 * @param msgIncludes A substring the error message must include (optional).
 * @param msg The optional message to display if the assertion fails.
 * @returns The rejection reason.
 */
export function assertRejects(fn: () => PromiseLike<unknown>, msg?: string): Promise<unknown>;
export function assertRejects<E extends Error = Error>(
  fn: () => PromiseLike<unknown>,
  ErrorClass: ErrorClass<E>,
  msgIncludes?: string,
  msg?: string,
): Promise<E>;
export async function assertRejects<E extends Error = Error>(
  fn: () => PromiseLike<unknown>,
  errorClassOrMsg?: ErrorClass<E> | string,
  msgIncludes?: string,
  msg?: string,
): Promise<E | unknown> {
  const ErrorClass = typeof errorClassOrMsg === "string" ? undefined : errorClassOrMsg;
  const message = typeof errorClassOrMsg === "string" ? errorClassOrMsg : msg;
  let promise: PromiseLike<unknown>;
  try {
    promise = fn();
  } catch (error) {
    return raise(`Function throws when expected to reject: ${show(error)}`, message);
  }
  if (!promise || typeof promise.then !== "function") {
    return raise("Function returns a non-promise value when expected to reject.", message);
  }
  try {
    await promise;
  } catch (error) {
    return checkError(error, ErrorClass, msgIncludes, message);
  }
  return raise("Expected function to reject.", message);
}

/**
 * Forcefully throws a failed assertion.
 *
 * @example Usage
 * ```ts ignore
 * import { fail } from "@std/assert";
 * fail("Deliberately failed!"); // Throws
 * ```
 * @param msg Optional message to include in the error.
 */
export function fail(msg?: string): never {
  throw new AssertionError(`Failed assertion${msg ? `: ${msg}` : "."}`);
}
