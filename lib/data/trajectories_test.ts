import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import {
  BRANCH_PROBABILITIES,
  branchAverage,
  BRANCHES,
  FUTURE_STEPS,
  generateJunctionTrajectories,
  OBSERVED_STEPS,
  SCENE_BOUNDS,
  TURN_ANGLES,
} from "./trajectories.ts";

const STEP = FUTURE_STEPS * 2;

Deno.test("generateJunctionTrajectories: shapes, determinism and bounds", () => {
  const a = generateJunctionTrajectories({ count: 500, seed: 3 });
  const b = generateJunctionTrajectories({ count: 500, seed: 3 });
  const c = generateJunctionTrajectories({ count: 500, seed: 4 });
  assertEquals(a.past.length, 500 * OBSERVED_STEPS * 2);
  assertEquals(a.future.length, 500 * STEP);
  assertEquals(a.branch.length, 500);
  assertEquals(a.branchFutures.length, 500 * BRANCHES.length * STEP);
  assertEquals(a.past, b.past);
  assertEquals(a.future, b.future);
  assert(a.past.some((v, i) => v !== c.past[i]), "another seed gives other trajectories");
  for (const values of [a.past, a.future, a.branchFutures]) {
    for (const v of values) {
      assert(v >= SCENE_BOUNDS.min && v <= SCENE_BOUNDS.max, `${v} is outside the scene`);
    }
  }
});

Deno.test("generateJunctionTrajectories: branches follow their probabilities", () => {
  const n = 20_000;
  const { branch } = generateJunctionTrajectories({ count: n, seed: 1 });
  for (let b = 0; b < BRANCHES.length; b++) {
    const share = branch.filter((v) => v === b).length / n;
    // binomial standard deviation is at most 0.0035 for n = 20,000
    assertAlmostEquals(share, BRANCH_PROBABILITIES[b], 0.015, `share of ${BRANCHES[b]}`);
  }
  const skewed = generateJunctionTrajectories({ count: 1000, seed: 1, branchProbabilities: [0, 1, 0] });
  assert(skewed.branch.every((v) => v === 1), "probability 1 for straight gives only straight");
});

Deno.test("generateJunctionTrajectories: the future follows its branch, the past does not tell it", () => {
  const n = 2000;
  const data = generateJunctionTrajectories({ count: n, seed: 5 });
  let ownNearest = 0;
  for (let i = 0; i < n; i++) {
    const final = (v: Float32Array, o: number) => [v[o + STEP - 2], v[o + STEP - 1]];
    const [fx, fy] = final(data.future, i * STEP);
    const distances = BRANCHES.map((_, b) => {
      const [bx, by] = final(data.branchFutures, (i * BRANCHES.length + b) * STEP);
      return Math.hypot(fx - bx, fy - by);
    });
    if (distances.indexOf(Math.min(...distances)) === data.branch[i]) ownNearest++;
  }
  assertEquals(ownNearest, n, "every future ends nearest to the branch it took");
  // The branches part: left and right end more than 0.3 away from straight, for every agent.
  for (let i = 0; i < n; i++) {
    const end = (b: number) =>
      data.branchFutures.subarray((i * 3 + b) * STEP + STEP - 2, (i * 3 + b) * STEP + STEP);
    for (const side of [0, 2]) {
      assert(
        Math.hypot(end(side)[0] - end(1)[0], end(side)[1] - end(1)[1]) > 0.3,
        `${BRANCHES[side]} ends apart`,
      );
    }
  }
  // The last observed point says nothing about the branch: mean lane offset is the same for all.
  const lane = [0, 0, 0];
  const count = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    lane[data.branch[i]] += data.past[(i * OBSERVED_STEPS + OBSERVED_STEPS - 1) * 2];
    count[data.branch[i]]++;
  }
  for (let b = 0; b < 3; b++) assertAlmostEquals(lane[b] / count[b], 0, 0.02, `mean lane of ${BRANCHES[b]}`);
});

Deno.test("branchAverage weights the branch futures by their probabilities", () => {
  const data = generateJunctionTrajectories({ count: 3, seed: 2, branchProbabilities: [0.5, 0, 0.5] });
  const average = branchAverage(data);
  for (let i = 0; i < 3; i++) {
    for (let k = 0; k < STEP; k++) {
      const left = data.branchFutures[(i * 3 + 0) * STEP + k];
      const right = data.branchFutures[(i * 3 + 2) * STEP + k];
      assertAlmostEquals(average[i * STEP + k], (left + right) / 2, 1e-6);
    }
  }
});

Deno.test("generateJunctionTrajectories rejects bad options with a clear error", () => {
  assertThrows(() => generateJunctionTrajectories({ count: 0, seed: 1 }), Error, "count");
  assertThrows(() => generateJunctionTrajectories({ count: 2.5, seed: 1 }), Error, "count");
  assertThrows(() => generateJunctionTrajectories({ count: 5, seed: 1, noise: -1 }), Error, "noise");
  assertThrows(
    () => generateJunctionTrajectories({ count: 5, seed: 1, branchProbabilities: [0.5, 0.5] }),
    Error,
    "branchProbabilities",
  );
});

Deno.test("generateJunctionTrajectories: turnAngles set each branch's final heading", () => {
  const angles = [Math.PI / 3, 0.1, -2];
  const data = generateJunctionTrajectories({ count: 50, seed: 4, noise: 0, turnAngles: angles });
  assertEquals(data.turnAngles, angles);
  for (let i = 0; i < 50; i++) {
    for (let b = 0; b < 3; b++) {
      const o = (i * 3 + b) * STEP;
      const dx = data.branchFutures[o + STEP - 2] - data.branchFutures[o + STEP - 4];
      const dy = data.branchFutures[o + STEP - 1] - data.branchFutures[o + STEP - 3];
      assertAlmostEquals(Math.atan2(dy, dx), Math.PI / 2 + angles[b], 1e-5, `heading of ${BRANCHES[b]}`);
    }
  }
  const defaults = generateJunctionTrajectories({ count: 5, seed: 4 });
  assertEquals(defaults.turnAngles, TURN_ANGLES);
  assertThrows(
    () => generateJunctionTrajectories({ count: 5, seed: 1, turnAngles: [1, 0] }),
    Error,
    "turnAngles",
  );
  assertThrows(
    () => generateJunctionTrajectories({ count: 5, seed: 1, turnAngles: [3, 0, -1] }),
    Error,
    "turnAngles",
  );
});
