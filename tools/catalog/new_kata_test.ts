import { assertEquals, assertStringIncludes } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { join } from "node:path";
import { makeTempCheckout } from "../testing/temp_checkout.ts";
import { kataCensus } from "./census.ts";
import { selectKatas } from "./katas.ts";

/** Copies `from` to `to`, replacing `replace[0]` by `replace[1]` in every text file. */
async function copyKata(from: string, to: string, replace: [string, string]): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    if (entry.isDirectory) continue; // figures are the demo's output, not part of the kata
    const text = await Deno.readTextFile(join(from, entry.name));
    await Deno.writeTextFile(join(to, entry.name), text.replaceAll(replace[0], replace[1]));
  }
}

describe("a new kata touches nothing outside its own folders", () => {
  it("kata 06 copied as kata 07 (its folders only, its test names renumbered) verifies", async () => {
    const checkout = await makeTempCheckout();
    try {
      const rename: [string, string] = ["kata 06, step", "kata 07, step"];
      await copyKata(
        join(checkout.root, "katas/06-batchnorm-regression"),
        join(checkout.root, "katas/07-copy"),
        rename,
      );
      await copyKata(
        join(checkout.root, "solutions/06-batchnorm-regression"),
        join(checkout.root, "solutions/07-copy"),
        rename,
      );
      const run = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "tools/launch.ts", "verify", "07"],
        cwd: checkout.root,
        env: { NO_COLOR: "1" },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = new TextDecoder().decode(run.stdout) + new TextDecoder().decode(run.stderr);
      assertEquals(run.code, 0, text);
      const [original] = await selectKatas(["06"]);
      const n = (await kataCensus(original)).length;
      const points = original.meta.points;
      assertStringIncludes(text, `| 07-copy | ${n} | ${n}/${n} | ${n}/${n} | ${points}/${points} |`);
    } finally {
      await checkout.remove();
    }
  });
});
