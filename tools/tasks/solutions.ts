/**
 * `deno task solutions [NAME…] [--step N]`: runs the katas' tests against the reference solutions in
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
import { colourWanted, makeStyle } from "../runner/style.ts";

await cli(async () => {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    options: { step: { type: "string" } },
    allowPositionals: true,
  });
  const step = values.step === undefined ? undefined : Number(values.step);
  if (step !== undefined && !Number.isInteger(step)) {
    throw new UsageError(
      `--step "${values.step}" is not a step number\nusage: deno task solutions [NAME…] [--step N]`,
    );
  }
  const style = makeStyle(colourWanted());
  let failed = 0;
  for (const kata of await selectKatas(positionals)) {
    const result = await runKata(kata, { target: `${ROOT}/solutions`, step });
    const calibration = await readCalibration(kata.dir);
    console.log(`\n${renderRun(result, { calibration, seed: kataSeed(), style })}`);
    if (result.cases.length === 0 || result.cases.some((c) => c.status === "fail")) failed++;
  }
  return failed === 0 ? 0 : 1;
});
