/**
 * `deno task hint NAME [--all]`: shows the kata's next hint (remembered in the progress
 * file), or all of them.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { cli, listKatas, resolveKata } from "./katas.ts";
import { loadProgress, saveProgress } from "./progress.ts";

await cli(async () => {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    options: { all: { type: "boolean", default: false } },
    allowPositionals: true,
  });
  const katas = await listKatas();
  if (positionals.length !== 1) {
    console.error("usage: deno task hint NAME [--all]");
    return 2;
  }
  const kata = resolveKata(positionals[0], katas);
  const hints = kata.meta.hints;
  const progress = await loadProgress();
  const shown = progress.hints[kata.id] ?? 0;
  const upTo = values.all ? hints.length : Math.min(shown + 1, hints.length);
  const start = values.all ? 0 : upTo - 1;
  for (let i = start; i < upTo; i++) {
    console.log(`Hint ${i + 1}/${hints.length} for ${kata.slug}:\n  ${hints[i]}\n`);
  }
  if (!values.all && shown >= hints.length) {
    console.log("That was the last hint; the reference is in solutions/.");
  }
  progress.hints[kata.id] = Math.max(shown, upTo);
  await saveProgress(progress);
  return 0;
});
