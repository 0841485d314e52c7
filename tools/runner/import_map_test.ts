import { assertEquals } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { importMapFor } from "./import_map.ts";
import { ROOT } from "../catalog/katas.ts";
import { fakeKata } from "../testing/fake_kata.ts";

describe("import map", () => {
  it("remaps each learner module to the target and keeps deno.json's imports absolute", async () => {
    const kata = fakeKata("01-x", {
      dir: `${ROOT}/katas/01-x`,
      modules: ["a.ts", "b.ts"],
      support: ["contract.ts"],
    });
    const { imports } = await importMapFor("/tmp/submission", [kata]);
    assertEquals(imports[`file://${ROOT}/katas/01-x/a.ts`], "file:///tmp/submission/01-x/a.ts");
    assertEquals(imports[`file://${ROOT}/katas/01-x/b.ts`], "file:///tmp/submission/01-x/b.ts");
    assertEquals(imports["@lib/"], `file://${ROOT}/lib/`);
    assertEquals(
      imports["file:///tmp/submission/01-x/contract.ts"],
      `file://${ROOT}/katas/01-x/contract.ts`,
      "a support module imported by the code under test is the kata's own",
    );
    assertEquals(imports["@tensorflow/tfjs"].startsWith("npm:@tensorflow/tfjs@"), true);
  });
});
