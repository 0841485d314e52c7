/**
 * `deno task kata NAME [--step N] [--verbose]`: runs one kata's tests (or one step's) against the learner's
 * code in `katas/`, records the result, and prints the steps, the failures and the lesson report.
 * Exits 0 when every test ran and passed, 1 otherwise, 2 for a wrong command line.
 *
 * @module
 */
import { cli } from "../catalog/katas.ts";
import { parseKataArgs, runAndReport } from "../runner/kata_run_cli.ts";

await cli(async () => (await runAndReport(await parseKataArgs(Deno.args, "kata"))) ? 0 : 1);
