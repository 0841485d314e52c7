/**
 * `deno task bench [--runs N] [--only …]`: times the backends, inference, the katas and the whole suite (see BENCHMARKS.md and `tools/bench/bench.ts`).
 *
 * @module
 */
import { cli } from "../catalog/katas.ts";
import { main } from "../bench/bench.ts";

await cli(() => main(Deno.args));
