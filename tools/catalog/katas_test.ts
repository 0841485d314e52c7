import { assertEquals, assertThrows } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { listKatas, resolveKata, UnknownKataError } from "./katas.ts";
import { fakeKata } from "../testing/fake_kata.ts";

const fake = (slug: string) => fakeKata(slug, { dir: `/repo/katas/${slug}`, modules: ["mod.ts"] });
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

  it("finds the katas in the repository, each with learner modules, steps and hints", async () => {
    const found = await listKatas();
    for (const kata of found) {
      assertEquals(kata.modules.length > 0, true, `${kata.slug} has no learner module`);
      assertEquals(
        kata.meta.steps.every((s) => s.hints.length >= 2),
        true,
        `${kata.slug}: hints climb per step`,
      );
      assertEquals(typeof kata.meta.points, "number", `${kata.slug} needs points`);
    }
  });

  it("the manifest says which modules are the learner's: no inference from solutions/", async () => {
    const root = await Deno.makeTempDir();
    const dir = `${root}/katas/07-example`;
    await Deno.mkdir(dir, { recursive: true });
    const meta = {
      ...katas[0].meta,
      files: { learner: ["model.ts"], support: ["shared_setup.ts"], tests: ["m_test.ts"] },
    };
    await Deno.writeTextFile(`${dir}/kata.json`, JSON.stringify(meta));
    for (const file of ["model.ts", "m_test.ts", "shared_setup.ts"]) {
      await Deno.writeTextFile(`${dir}/${file}`, "");
    }
    const [kata] = await listKatas(root);
    assertEquals([kata.modules, kata.support, kata.tests], [["model.ts"], ["shared_setup.ts"], [
      "m_test.ts",
    ]]);
    await Deno.remove(root, { recursive: true });
  });
});
