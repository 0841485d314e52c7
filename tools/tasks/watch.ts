/**
 * `deno task watch NAME [--step N] [--verbose]`: re-runs a kata's tests (or one step's) every time one of
 * its files is saved.
 *
 * @module
 */
import { cli } from "../catalog/katas.ts";
import { parseKataArgs, runAndReport } from "../runner/kata_run_cli.ts";

await cli(async () => {
  const args = await parseKataArgs(Deno.args, "watch");
  const run = async () => {
    if (Deno.stdout.isTerminal()) console.clear();
    await runAndReport(args);
    console.log(`\nWatching ${args.kata.dir} — save a file to re-run, Ctrl-C to stop.`);
  };
  await run();
  let timer: ReturnType<typeof setTimeout> | undefined;
  for await (const event of Deno.watchFs(args.kata.dir)) {
    if (!event.paths.some((p) => p.endsWith(".ts")) || event.kind === "access") continue;
    clearTimeout(timer);
    timer = setTimeout(run, 200); // editors write in bursts: wait for the last event
  }
  return 0;
});
