/**
 * `deno task verify [NAME…]`: the katas' promise, checked. For every kata, every test case
 * must FAIL against the stub in `katas/` and PASS against the reference in `solutions/`.
 * Prints a table and exits 1 when any kata breaks the promise.
 *
 * @module
 */
import { cli, selectKatas } from "../catalog/katas.ts";
import { verifyKatas } from "../runner/verify_runs.ts";

await cli(async () => {
  const { table, problems } = await verifyKatas(await selectKatas(Deno.args), {
    wholeRepository: Deno.args.length === 0,
  });
  console.log(table);
  if (problems.length) console.log(`\n${problems.join("\n")}`);
  return problems.length ? 1 : 0;
});
