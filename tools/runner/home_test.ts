import { assertEquals } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import type { Kata } from "../catalog/katas.ts";
import { kataStatus, statusLabel, type StatusProbe } from "./home.ts";
import type { RecordedResult } from "./learner_progress.ts";

const kata = { id: "06" } as Kata;
const failing: RecordedResult = {
  fingerprint: "f1",
  complete: true,
  passedTests: [],
  steps: { "1": { passed: 0, total: 6, firstFailure: { name: "t", message: "not implemented yet" } } },
};
const probe = (untouched: boolean, print = "f1"): StatusProbe & { runs: number } => {
  const p = {
    runs: 0,
    untouched: () => Promise.resolve(untouched),
    fingerprint: () => Promise.resolve(print),
    run: () => {
      p.runs++;
      return Promise.resolve({ ...failing, fingerprint: print });
    },
  };
  return p;
};

describe("the home screen's status of a kata", () => {
  it("an untouched kata is not started, whatever an earlier run recorded, and is not run", async () => {
    const p = probe(true);
    assertEquals(await kataStatus(kata, failing, p), "not started");
    assertEquals(p.runs, 0);
  });

  it("an edited kata uses its record while unchanged, and runs again once changed", async () => {
    const same = probe(false, "f1");
    assertEquals(await kataStatus(kata, failing, same), failing);
    assertEquals(same.runs, 0);
    const changed = probe(false, "f2");
    assertEquals((await kataStatus(kata, failing, changed) as RecordedResult).fingerprint, "f2");
    assertEquals(changed.runs, 1);
  });

  it("a record of one step alone is not the kata's status: the kata runs", async () => {
    const p = probe(false, "f1");
    await kataStatus(kata, { ...failing, complete: false }, p);
    assertEquals(p.runs, 1);
  });

  it("says passed, failing or error, with the counts", () => {
    assertEquals(statusLabel(failing), "failing (0/6)");
    assertEquals(statusLabel({ ...failing, steps: { "1": { passed: 6, total: 6 } } }), "passed");
    assertEquals(
      statusLabel({
        ...failing,
        steps: { "1": { passed: 2, total: 6 }, "2": { passed: 0, total: 2, error: "does not compile" } },
      }),
      "error: does not compile (2/8)",
    );
  });
});
