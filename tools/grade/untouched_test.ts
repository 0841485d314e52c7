import { assertEquals } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { join } from "node:path";
import { listKatas } from "../catalog/katas.ts";
import { assembleSubmission, REPO } from "../testing/grader_data.ts";
import { untouchedKatas } from "./untouched.ts";

const katas = await listKatas(REPO);
const TEMP = await Deno.makeTempDir({ prefix: "ml-katas-untouched-" });

/** A submission of the miniature course's stubs, changed by `change` (given the folder). */
async function stubs(name: string, change: (dir: string) => Promise<void> = async () => {}): Promise<string> {
  const dir = join(TEMP, name);
  await assembleSubmission(dir, { "90-probe": "stub", "91-integrity": "stub" });
  await change(dir);
  return dir;
}

const untouched = async (dir: string) => [...await untouchedKatas(katas, dir, REPO)].sort();

describe("untouched katas", () => {
  it("are the katas whose learner modules are the published stubs byte for byte", async () => {
    assertEquals(await untouched(await stubs("as-published")), ["90-probe", "91-integrity"]);
    assertEquals(
      await untouched(join(REPO, "katas")),
      ["90-probe", "91-integrity"],
      "the course's own katas/",
    );
  });

  it("a byte more or less, a module missing, or a link or folder in its place makes the kata touched", async () => {
    const probe = (dir: string) => join(dir, "90-probe", "probe.ts");
    const cases: [string, (dir: string) => Promise<void>][] = [
      ["a blank line more", async (d) => await Deno.writeTextFile(probe(d), "\n", { append: true })],
      ["one byte less", async (d) => {
        const bytes = await Deno.readFile(probe(d));
        await Deno.writeFile(probe(d), bytes.subarray(0, bytes.length - 1));
      }],
      ["one byte changed", async (d) => {
        const bytes = await Deno.readFile(probe(d));
        bytes[0] ^= 1;
        await Deno.writeFile(probe(d), bytes);
      }],
      ["the module missing", async (d) => await Deno.remove(probe(d))],
      ["a link to the stub", async (d) => {
        await Deno.remove(probe(d));
        await Deno.symlink(join(REPO, "katas", "90-probe", "probe.ts"), probe(d));
      }],
      ["a folder in its place", async (d) => {
        await Deno.remove(probe(d));
        await Deno.mkdir(probe(d));
      }],
    ];
    for (const [i, [what, change]] of cases.entries()) {
      assertEquals(await untouched(await stubs(`changed-${i}`, change)), ["91-integrity"], what);
    }
    assertEquals(await untouched(join(TEMP, "no-such-submission")), [], "no submission at all");
  });

  it("removes its temporary folder", async () => {
    await Deno.remove(TEMP, { recursive: true });
  });
});
