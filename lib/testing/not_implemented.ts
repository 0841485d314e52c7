/**
 * The error every kata stub throws until the learner implements it.
 *
 * @example Usage
 * ```ts
 * import { notImplemented } from "@lib/testing/not_implemented.ts";
 * function scalePixels(): never {
 *   return notImplemented("scalePixels", 1);
 * }
 * try {
 *   scalePixels();
 * } catch (e) {
 *   console.log((e as Error).message); // "not implemented yet: scalePixels, see README step 1"
 * }
 * ```
 * @module
 */

/** Thrown by kata stubs: the learner has not written this function yet. */
export class NotImplementedError extends Error {
  /**
   * @param name The function or method to implement.
   * @param step The README step that explains it.
   */
  constructor(name: string, step: number) {
    super(`not implemented yet: ${name}, see README step ${step}`);
    this.name = "NotImplementedError";
  }
}

/**
 * Throws a {@linkcode NotImplementedError} for `name`, pointing at README step `step`.
 *
 * @example Usage
 * ```ts
 * import { notImplemented } from "@lib/testing/not_implemented.ts";
 * const todo = (): number => notImplemented("todo", 2);
 * ```
 * @param name The function to implement.
 * @param step The README step that explains it.
 */
export function notImplemented(name: string, step: number): never {
  throw new NotImplementedError(name, step);
}
