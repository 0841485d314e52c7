/**
 * Kata 02's contract, as the reference solution sees it: the kata's own `contract.ts`, re-exported so
 * that the solution imports `./contract.ts` like a learner's code does. Wherever the tests run the
 * solution (`deno task solutions`, `verify`, the grader's staged copy), the import map sends
 * `./contract.ts` to `katas/02-overfitting-variance/contract.ts` itself; this file serves plain
 * `deno check` and the demo.
 *
 * @module
 */
export * from "../../katas/02-overfitting-variance/contract.ts";
