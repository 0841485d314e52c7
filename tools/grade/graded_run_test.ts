import { assertEquals } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { ROOT } from "../catalog/katas.ts";
import { PRELOAD, PRELOAD_MODULES } from "./graded_run.ts";

describe("graded runs", () => {
  it("the preload's grader modules are exactly those a graded process may load and sees", async () => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json", PRELOAD],
      cwd: ROOT,
      stdout: "piped",
      stderr: "null",
    }).output();
    const info = JSON.parse(new TextDecoder().decode(out.stdout)) as { modules: { specifier: string }[] };
    const here = dirname(PRELOAD);
    const local = info.modules.map((m) => m.specifier).filter((s) => s.startsWith("file:"))
      .map((s) => fileURLToPath(s)).filter((path) => dirname(path) === here);
    assertEquals(local.toSorted(), [...PRELOAD_MODULES].toSorted());
  });
});
