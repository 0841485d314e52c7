/**
 * What every other module builds on: seeded randomness and the settings read from the environment.
 *
 * `random.ts`: the one seed (`KATA_SEED`) and seeded generators; `settings.ts`: reading `KATA_*` variables
 * where a process may lack the permission; `freeze.ts`: deep-freezing the constants graded code can reach.
 *
 * @example Usage
 * ```ts
 * import { createRng, kataSeed } from "@lib/core/mod.ts";
 * const rng = createRng(kataSeed());
 * console.log(rng.uniform() < 1); // true
 * ```
 * @module
 */
export * from "./random.ts";
export * from "./settings.ts";
export * from "./fs.ts";
export * from "./freeze.ts";
