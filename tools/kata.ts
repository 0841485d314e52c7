/**
 * `deno task kata NAME`: runs one kata's tests against the learner's code in `katas/`.
 *
 * @module
 */
import { cli, listKatas, resolveKata } from "./katas.ts";
import { runAndRecord, summary } from "./record.ts";

await cli(async () => {
  const katas = await listKatas();
  if (Deno.args.length !== 1) {
    console.error(`usage: deno task kata NAME\n${katas.map((k) => `  ${k.id}  ${k.slug}`).join("\n")}`);
    return 2;
  }
  const kata = resolveKata(Deno.args[0], katas);
  const result = await runAndRecord(kata, { quiet: false });
  console.log(`\n${kata.slug}: ${summary(result)}`);
  if (result.firstFailure) console.log(`Stuck? deno task hint ${kata.id}`);
  return result.passed === result.total && result.total > 0 ? 0 : 1;
});
