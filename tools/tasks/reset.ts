/**
 * `deno task reset NAME`: restores a kata's stub files to their published state. Each
 * learner file is first kept beside it as `<file>.bak.ts` (git-ignored).
 *
 * @module
 */
import { join, relative } from "node:path";
import { cli, listKatas, resolveKata, ROOT } from "../catalog/katas.ts";
import { pristineStub } from "../catalog/pristine.ts";

await cli(async () => {
  if (Deno.args.length !== 1) {
    console.error("usage: deno task reset NAME");
    return 2;
  }
  const kata = resolveKata(Deno.args[0], await listKatas());
  for (const module of kata.modules) {
    const path = join(kata.dir, module);
    const pristine = await pristineStub(relative(ROOT, path));
    const current = await Deno.readTextFile(path);
    if (current === pristine) {
      console.log(`${relative(ROOT, path)} is already pristine`);
      continue;
    }
    const backup = path.replace(/\.ts$/, ".bak.ts");
    await Deno.writeTextFile(backup, current);
    await Deno.writeTextFile(path, pristine);
    console.log(`restored ${relative(ROOT, path)} (your version is in ${relative(ROOT, backup)})`);
  }
  return 0;
});
