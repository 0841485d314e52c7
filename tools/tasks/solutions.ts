/**
 * `deno task solutions [NAME…] [--step N] [--verbose]`: runs the katas' tests against the reference solutions in
 * `solutions/` and prints the same report as `deno task kata` (steps, failures, lesson report). Exits 1
 * when any test fails.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { kataSeed } from "@lib/core/random.ts";
import { cli, ROOT, selectKatas, UsageError } from "../catalog/katas.ts";
import { readCalibration } from "../catalog/calibration.ts";
import { renderRun } from "../runner/report.ts";
import { runKata } from "../runner/run_kata.ts";
import { verboseOutput } from "../runner/kata_run_cli.ts";
import { colourWanted, makeStyle } from "../runner/style.ts";

const USAGE = "usage: deno task solutions [NAME…] [--step N] [--verbose]";

await cli(async () => {
  let parsed;
  try {
    parsed = parseArgs({
      args: Deno.args,
      options: { step: { type: "string" }, verbose: { type: "boolean", default: false } },
      allowPositionals: true,
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  const step = values.step === undefined ? undefined : Number(values.step);
  if (step !== undefined && !Number.isInteger(step)) {
    throw new UsageError(`--step "${values.step}" is not a step number\n${USAGE}`);
  }
  const style = makeStyle(colourWanted());
  let failed = 0;
  for (const kata of await selectKatas(positionals)) {
    const result = await runKata(kata, {
      target: `${ROOT}/solutions`,
      step,
      onFileDone: verboseOutput(values.verbose),
    });
    const calibration = await readCalibration(kata.dir);
    console.log(`\n${renderRun(result, { calibration, seed: kataSeed(), style })}`);
    if (result.cases.length === 0 || result.cases.some((c) => c.status === "fail")) failed++;
  }
  return failed === 0 ? 0 : 1;
});
