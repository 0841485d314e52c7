/**
 * Local stand-ins for `jsr:@std/assert` and `jsr:@std/testing/bdd`, which `deno.json` maps those names to
 * (the machines that build this project reach npm, not JSR). Import them by those names, not from here:
 * `assert.ts` is `@std/assert`, `bdd.ts` is `@std/testing/bdd`.
 *
 * @example Usage
 * ```ts
 * import { assertEquals } from "@std/assert";
 * assertEquals(1 + 1, 2);
 * ```
 * @module
 */
export * from "./assert.ts";
export * from "./bdd.ts";
