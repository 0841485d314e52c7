/**
 * Graded code runs in the same process as the tests that judge it, so every rule a test reads from a
 * shared module — a kata's `contract.ts` (budgets, grids, domains) and the challenges' judges in `lib/`
 * (targets, budgets, data shapes) — must be frozen at every depth: a submission that writes
 * `CHALLENGE.targetR2 = -Infinity` must change nothing (a learner trial passed kata 05's and 06's challenges
 * that way before).
 *
 * @module
 */
import { assert } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { isDeepFrozen } from "@lib/core/freeze.ts";
import { listKatas, ROOT } from "../catalog/katas.ts";

/** The modules whose exported objects are rules a test reads. */
async function ruleModules(): Promise<string[]> {
  const modules = (await listKatas()).map((kata) => join(kata.dir, "contract.ts"));
  modules.push(join(ROOT, "lib/data/genomics.ts")); // the study's shape kata 02's tests draw
  for (const folder of ["lib/data", "lib/models"]) {
    for await (const entry of Deno.readDir(join(ROOT, folder))) {
      if (/challenge\.ts$|^periodic_signal\.ts$/.test(entry.name)) {
        modules.push(join(ROOT, folder, entry.name));
      }
    }
  }
  return modules.sort();
}

const isObject = (value: unknown) => value !== null && typeof value === "object";

describe("the rules graded code can reach are frozen", () => {
  it("every exported object and array of the katas' contracts and the challenge modules is frozen at every depth", async () => {
    const modules = await ruleModules();
    assert(modules.length >= 12, `found ${modules.length} modules`);
    const thawed: string[] = [];
    for (const path of modules) {
      const exports = await import(pathToFileURL(path).href) as Record<string, unknown>;
      for (const [name, value] of Object.entries(exports)) {
        const plain = Array.isArray(value) ||
          (isObject(value) && [Object.prototype, null].includes(Object.getPrototypeOf(value)));
        if (plain && !isDeepFrozen(value)) thawed.push(`${path.replace(`${ROOT}/`, "")}: ${name}`);
      }
    }
    assert(
      thawed.length === 0,
      `not frozen (wrap them in deepFreeze, lib/core/freeze.ts):\n${thawed.join("\n")}`,
    );
  });
});
