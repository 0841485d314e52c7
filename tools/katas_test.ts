import { assertEquals, assertThrows } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { type Kata, listKatas, resolveKata, UnknownKataError } from "./katas.ts";

const fake = (slug: string): Kata => ({
  id: slug.slice(0, 2),
  slug,
  dir: `/repo/katas/${slug}`,
  modules: ["mod.ts"],
  meta: { title: slug, question: "?", concepts: [], difficulty: "beginner", points: 1, hints: [] },
});
const katas = [fake("01-input-scaling"), fake("02-overfitting-variance")];

describe("kata names", () => {
  it("resolves a number, a padded number, a slug and a slug without its number", () => {
    for (const name of ["1", "01", "01-input-scaling", "input-scaling", "katas/01-input-scaling/"]) {
      assertEquals(resolveKata(name, katas).slug, "01-input-scaling");
    }
  });

  it("an unknown name lists the valid names", () => {
    assertThrows(() => resolveKata("99", katas), UnknownKataError, "02  02-overfitting-variance");
  });

  it("finds the katas in the repository, each with learner modules and metadata", async () => {
    const found = await listKatas();
    for (const kata of found) {
      assertEquals(kata.modules.length > 0, true, `${kata.slug} has no learner module`);
      assertEquals(kata.meta.hints.length >= 3, true, `${kata.slug} needs progressive hints`);
      assertEquals(typeof kata.meta.points, "number", `${kata.slug} needs points`);
    }
  });

  it("a module the solution does not implement is shared test support, not learner code", async () => {
    const root = await Deno.makeTempDir();
    const kata = `${root}/katas/07-example`;
    await Deno.mkdir(kata, { recursive: true });
    await Deno.mkdir(`${root}/solutions/07-example`, { recursive: true });
    await Deno.writeTextFile(`${kata}/kata.json`, JSON.stringify(katas[0].meta));
    for (const file of ["model.ts", "model_test.ts", "shared_setup.ts"]) {
      await Deno.writeTextFile(`${kata}/${file}`, "");
    }
    await Deno.writeTextFile(`${root}/solutions/07-example/model.ts`, "");
    assertEquals((await listKatas(root))[0].modules, ["model.ts"]);
    await Deno.remove(`${root}/solutions`, { recursive: true });
    assertEquals((await listKatas(root))[0].modules, ["model.ts", "shared_setup.ts"], "without solutions/");
    await Deno.remove(root, { recursive: true });
  });
});
