/**
 * `deno task readme`: refreshes what the READMEs take from elsewhere — the repository README's kata table
 * (from the manifests) and every kata README's calibrated numbers (from its `calibration.json`) — and
 * formats the files it changed. `deno task verify` fails while either is stale.
 *
 * @module
 */
import { join } from "node:path";
import { cli, listKatas, ROOT } from "../catalog/katas.ts";
import { readCalibration } from "../catalog/calibration.ts";
import { formatFiles, renderMeasuredNumbers } from "../catalog/readme_numbers.ts";
import { withKataTable } from "../catalog/readme_table.ts";

await cli(async () => {
  const katas = await listKatas();
  const before = new Map<string, string>();
  const update = async (path: string, make: (text: string) => string) => {
    const text = await Deno.readTextFile(path);
    const next = make(text);
    if (next !== text) {
      before.set(path, text);
      await Deno.writeTextFile(path, next);
    }
  };
  await update(join(ROOT, "README.md"), (text) => withKataTable(text, katas));
  let problems = 0;
  for (const kata of katas) {
    const calibration = await readCalibration(kata.dir);
    if (!calibration) continue;
    await update(join(kata.dir, "README.md"), (text) => {
      const rendered = renderMeasuredNumbers(text, calibration);
      for (const line of rendered.problems) console.error(`katas/${kata.slug}/README.md: ${line}`);
      problems += rendered.problems.length;
      return rendered.text;
    });
  }
  // Compared once formatted: `deno fmt` pads tables and spaces comments its own way.
  const written = [...before.keys()];
  await formatFiles(written, ROOT);
  const changed: string[] = [];
  for (const path of written) if (await Deno.readTextFile(path) !== before.get(path)) changed.push(path);
  console.log(
    changed.length ? `updated ${changed.map((p) => p.replace(`${ROOT}/`, "")).join(", ")}` : "up to date",
  );
  return problems ? 1 : 0;
});
