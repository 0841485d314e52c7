/**
 * `deno task solutions [NAME…]`: runs the katas' tests against the reference solutions.
 * Exits non-zero when any test fails.
 *
 * @module
 */
import { cli, ROOT, selectKatas } from "./katas.ts";
import { runKataTests } from "./run_tests.ts";

await cli(async () => {
  let failed = 0;
  for (const kata of await selectKatas(Deno.args)) {
    console.log(`\n== ${kata.slug} against solutions/ ==`);
    const run = await runKataTests(kata, { target: `${ROOT}/solutions` });
    if (run.code !== 0) failed++;
  }
  return failed === 0 ? 0 : 1;
});
