import { assertEquals } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { listKatas, ROOT } from "./katas.ts";
import { kataTableProblems, withKataTable } from "./readme_table.ts";
import { fakeKata } from "../testing/fake_kata.ts";

describe("the repository README's kata table", () => {
  it("says what the manifests say", async () => {
    assertEquals(kataTableProblems(await Deno.readTextFile(`${ROOT}/README.md`), await listKatas()), []);
  });

  it("a kata added or renamed makes it stale until it is regenerated", () => {
    const katas = [fakeKata("07-x")];
    const readme = withKataTable("# R\n<!-- katas -->\n<!-- /katas -->\n", katas);
    assertEquals(kataTableProblems(readme, katas), []);
    const more = [...katas, fakeKata("08-y")];
    assertEquals(kataTableProblems(readme, more), [
      'README.md\'s kata table lacks "08 | [08-y](katas/08-y/README.md) | ?"; run `deno task readme`',
    ]);
    assertEquals(kataTableProblems(withKataTable(readme, more), more), []);
  });
});
