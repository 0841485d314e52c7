/**
 * Kata 04, step 6, the challenge: samples on the branches, in the branches' shares, with few in
 * between. Measured only by its outcome, on a junction, a training set and unseen pasts that this
 * test draws from seeds the learner's code never receives (`@lib/data/junction_challenge.ts`, whose
 * own tests show each rule rejecting a shortcut).
 *
 * @module
 */
import { assert } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { initBackend } from "@lib/backend/init.ts";
import { seedEverything } from "@lib/core/random.ts";
import { measured } from "@lib/testing/measure.ts";
import { once } from "@lib/testing/once.ts";
import { BRANCHES } from "@lib/data/trajectories.ts";
import { type ChallengeReport, judgeSampler } from "@lib/data/junction_challenge.ts";
import { trainBranchSampler } from "./challenge.ts";
import { CHALLENGE } from "./contract.ts";
import { SEED } from "./test_setup.ts";

await initBackend();

/** The challenge played once: training, sampling, scoring. */
const judged = once(async () => {
  seedEverything(SEED);
  return await judgeSampler(trainBranchSampler, { seed: SEED });
});

/** The rule's verdict as an assertion, naming the run's data seeds so that a failure can be replayed. */
function assertRule(report: ChallengeReport, rule: keyof ChallengeReport["checks"]): void {
  const { ok, message } = report.checks[rule];
  const probabilities = report.setting.branchProbabilities.map((p) => p.toFixed(3)).join(" / ");
  assert(
    ok,
    `${message} (this run's junction: ${probabilities} for ${BRANCHES.join(" / ")}; data seed ` +
      `${report.dataSeed}, unseen pasts seed ${report.heldOutSeed})`,
  );
}

describe("kata 04, step 6: challenge — samples on the branches, in their shares", () => {
  it(`for ${100 * CHALLENGE.minCoverage} % of unseen pasts or more, the ${CHALLENGE.samplesPerPast} samples reach every branch`, async () => {
    const report = await judged();
    measured("challenge: coverage", report.samples.coverage);
    // observed 0.976–1 over seeds 1–20 (wasm, reference, a fresh junction each: calibration.json); asserted ≥ 0.9
    assertRule(report, "coverage");
  });

  it(`each branch's share of the samples is within ${CHALLENGE.shareTolerance} of its probability in the data`, async () => {
    const report = await judged();
    const error = (score: ChallengeReport["samples"]) =>
      Math.max(...score.shares.map((s, b) => Math.abs(s - report.setting.branchProbabilities[b])));
    measured("challenge: largest share error", error(report.samples));
    measured("challenge: largest share error, k = 1", error(report.single));
    // observed 0.007–0.036 (k = 20) and 0.002–0.044 (k = 1) over seeds 1–20 (wasm, reference); asserted ≤ 0.05 / 0.06
    assertRule(report, "shares");
  });

  it(`at most ${100 * CHALLENGE.maxBetween} % of the samples end between branches`, async () => {
    const report = await judged();
    measured("challenge: share between branches", report.samples.between);
    // observed 0.045–0.104 over seeds 1–20 (wasm, reference); asserted ≤ 0.15
    assertRule(report, "between");
  });

  it("sample returns k futures per past for k = 1, 3 and 20", async () => {
    assertRule(await judged(), "k");
  });

  it(`training and sampling stay within the budget of ${CHALLENGE.maxWork / 1e9}·10⁹ elements computed by tfjs`, async () => {
    const report = await judged();
    measured("challenge: work (10⁹ elements)", report.work / 1e9);
    // the reference computes 0.18·10⁹ in every seed (step 4's CVAE about 0.5·10⁹); asserted ≤ 2·10⁹
    assertRule(report, "budget");
  });
});
