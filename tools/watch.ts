/**
 * `deno task watch NAME`: re-runs a kata's tests every time one of its files is saved.
 *
 * @module
 */
import { cli, listKatas, resolveKata } from "./katas.ts";
import { runAndRecord, summary } from "./record.ts";

await cli(async () => {
  if (Deno.args.length !== 1) {
    console.error("usage: deno task watch NAME");
    return 2;
  }
  const kata = resolveKata(Deno.args[0], await listKatas());
  const run = async () => {
    console.clear();
    const result = await runAndRecord(kata, { quiet: false });
    console.log(
      `\n${kata.slug}: ${summary(result)}. Watching ${kata.dir} — save a file to re-run, Ctrl-C to stop.`,
    );
  };
  await run();
  let timer: ReturnType<typeof setTimeout> | undefined;
  for await (const event of Deno.watchFs(kata.dir)) {
    if (!event.paths.some((p) => p.endsWith(".ts")) || event.kind === "access") continue;
    clearTimeout(timer);
    timer = setTimeout(run, 200); // editors write in bursts: wait for the last event
  }
  return 0;
});
