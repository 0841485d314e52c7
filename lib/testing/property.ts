/**
 * Property tests told the way the other tests tell their failures: `fast-check`'s `fc.assert` reports
 * "Property failed after 1 tests" first and the cause deep below; {@linkcode assertProperty} throws the
 * error the code under test threw (a `notImplemented`, an assertion's message) with the smallest
 * counterexample and how to replay it after it, so a kata report's one-line summary says what went wrong.
 *
 * @module
 */
import fc from "fast-check";
import { AssertionError } from "@std/assert";

/**
 * Checks `property` like `fc.assert` and, when it fails, rethrows its cause (same name, an
 * `AssertionError` staying one) with the shrunk counterexample and the seed and path that replay it.
 *
 * @example Usage
 * ```ts
 * import fc from "fast-check";
 * import { assertProperty } from "@lib/testing/property.ts";
 * assertProperty(fc.property(fc.integer(), (n) => n + 0 === n), { seed: 42, numRuns: 50 });
 * try {
 *   assertProperty(fc.property(fc.nat(), (n) => { if (n > 3) throw new RangeError(`${n} > 3`); }), { seed: 1 });
 * } catch (error) {
 *   console.log((error as Error).name, (error as Error).message.split("\n")[0]); // RangeError 4 > 3
 * }
 * ```
 * @param property The property (`fc.property(…)`).
 * @param params fast-check's parameters; pass the kata's seed for reproducible runs.
 */
export function assertProperty<Ts>(property: fc.IProperty<Ts>, params: fc.Parameters<Ts> = {}): void {
  const details = fc.check(property, params);
  if (!details.failed) return;
  const cause = details.errorInstance instanceof Error
    ? details.errorInstance
    : new Error(String(details.errorInstance));
  const replay = `fast-check seed ${details.seed}, path "${details.counterexamplePath}"`;
  const message = `${cause.message}\n  smallest counterexample: ${
    fc.stringify(details.counterexample)
  } (${replay})`;
  if (cause instanceof AssertionError) throw new AssertionError(message);
  const error = new Error(message);
  error.name = cause.name;
  throw error;
}
