/**
 * Memoises an expensive computation (usually a training run) so several tests can share
 * it while each still calls it itself: when the computation throws, every test that
 * needs it fails with that error, and tests that do not need it still run.
 *
 * @example Usage
 * ```ts
 * import { once } from "@lib/testing/once.ts";
 * let runs = 0;
 * const trained = once(() => ++runs);
 * trained();
 * trained();
 * console.log(runs); // 1
 * ```
 * @module
 */

/**
 * Returns a function that calls `fn` the first time and returns the same result (or
 * rethrows the same error, or returns the same promise) afterwards.
 *
 * @example Usage
 * ```ts
 * import { once } from "@lib/testing/once.ts";
 * const model = once(async () => "trained");
 * console.log(await model()); // "trained"
 * ```
 * @param fn The computation.
 * @returns The memoised computation.
 */
export function once<T>(fn: () => T): () => T {
  let state: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
  return () => {
    if (!state) {
      try {
        state = { ok: true, value: fn() };
      } catch (error) {
        state = { ok: false, error };
      }
    }
    if (state.ok) return state.value;
    throw state.error;
  };
}

/**
 * {@linkcode once} for each distinct list of arguments: `fn` runs the first time it is called
 * with given arguments (compared as JSON), and later calls with the same arguments get the same
 * result or error. For a computation tests share per setting, e.g. a model trained per input kind.
 *
 * @example Usage
 * ```ts
 * import { oncePer } from "@lib/testing/once.ts";
 * let runs = 0;
 * const trained = oncePer((inputs: "raw" | "scaled") => `${inputs} model ${++runs}`);
 * trained("raw");
 * trained("scaled");
 * console.log(trained("raw"), runs); // "raw model 1" 2
 * ```
 * @param fn The computation, of plain (JSON-serialisable) arguments.
 * @returns The computation, memoised per argument list.
 */
export function oncePer<A extends unknown[], T>(fn: (...args: A) => T): (...args: A) => T {
  const memo = new Map<string, () => T>();
  return (...args: A) => {
    const key = JSON.stringify(args);
    let computation = memo.get(key);
    if (!computation) {
      computation = once(() => fn(...args));
      memo.set(key, computation);
    }
    return computation();
  };
}
