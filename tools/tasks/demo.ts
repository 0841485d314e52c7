/**
 * `deno task demo [NAME…] [--out DIR] [--readme]`: runs the katas' demos and writes their figures (see README, "Seeing the lesson", and `tools/demo/run_demos.ts`).
 *
 * @module
 */
import { cli } from "../catalog/katas.ts";
import { main } from "../demo/run_demos.ts";

await cli(() => main(Deno.args));
