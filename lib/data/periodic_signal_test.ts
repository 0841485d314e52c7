import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertGreater,
  assertLess,
  assertRejects,
  assertThrows,
} from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { isDeepFrozen } from "../core/freeze.ts";
import { createRng } from "../core/random.ts";
import {
  createSensor,
  drawSignal,
  FAR_CHALLENGE,
  type FarChallenge,
  farChallengeFailure,
  type FarFit,
  PERIOD_RANGE,
  type Point,
  type Predictor,
  type Rectangle,
  runFarChallenge,
  signalValue,
} from "./periodic_signal.ts";

const RECTANGLE = { x: [0, 100], y: [-1, 1] } as const;

/** A predictor that knows the machine: what no honest fit can beat. */
const perfectFor = (seed: number): Predictor => {
  const signal = drawSignal(createRng(seed));
  return (points) => points.map(([x, y]) => signalValue(signal, x, y));
};

describe("periodic signal", () => {
  it("draws machines inside the family, the same for a seed", () => {
    for (let seed = 0; seed < 50; seed++) {
      const signal = drawSignal(createRng(seed));
      const period = (2 * Math.PI) / signal.omega;
      assert(period >= PERIOD_RANGE[0] && period <= PERIOD_RANGE[1], `period ${period}`);
      assertEquals(signal.amplitudes[0], 1);
      assert(signal.amplitudes[1] >= 0.25 && signal.amplitudes[1] <= 0.5, `a₂ ${signal.amplitudes[1]}`);
      assert(signal.amplitudes[2] >= 0.1 && signal.amplitudes[2] <= 0.3, `a₃ ${signal.amplitudes[2]}`);
      assert(signal.slope >= 0.5 && signal.slope <= 1.5 && Math.abs(signal.offset) <= 1);
    }
    assertEquals(drawSignal(createRng(3)), drawSignal(createRng(3)));
  });

  it("repeats in x with its period and is linear in y", () => {
    const signal = drawSignal(createRng(11));
    const period = (2 * Math.PI) / signal.omega;
    for (const [x, y] of [[0.3, 0.2], [57, -0.9], [203, 0.5]]) {
      assertAlmostEquals(signalValue(signal, x + 3 * period, y), signalValue(signal, x, y), 1e-9);
      assertAlmostEquals(
        signalValue(signal, x, y + 0.5) - signalValue(signal, x, y),
        0.5 * signal.slope,
        1e-12,
      );
    }
  });

  it("the sensor measures f plus noise of the given size inside its rectangle, and counts", () => {
    const signal = drawSignal(createRng(5));
    const sensor = createSensor(signal, RECTANGLE, { budget: 5000, noise: 0.1, rng: createRng(6) });
    const rng = createRng(7);
    const points: Point[] = Array.from({ length: 4000 }, () => [100 * rng.uniform(), 2 * rng.uniform() - 1]);
    const values = sensor.measure(points);
    const residuals = values.map((v, i) => v - signalValue(signal, ...points[i]));
    const mean = residuals.reduce((a, b) => a + b) / residuals.length;
    const std = Math.sqrt(residuals.reduce((a, r) => a + (r - mean) ** 2, 0) / residuals.length);
    // Standard errors 0.0016 (mean) and 0.0011 (std); bounds ≥ 6 of them.
    assertLess(Math.abs(mean), 0.01);
    assertAlmostEquals(std, 0.1, 0.007);
    assertEquals([sensor.used, sensor.refusals.length], [4000, 0]);
    assertEquals(sensor.measure([[100, 1], [0, -1]]).length, 2, "the rectangle's edges are inside");
  });

  it("the sensor refuses points outside its rectangle and requests beyond its budget, measuring nothing", () => {
    const sensor = createSensor(drawSignal(createRng(1)), RECTANGLE, {
      budget: 3,
      noise: 0,
      rng: createRng(2),
    });
    assertThrows(() => sensor.measure([[50, 0], [205, 0]]), RangeError, "point 1 is (205, 0)");
    assertThrows(() => sensor.measure([[50, 1.5]]), RangeError, "outside");
    assertThrows(() => sensor.measure([[NaN, 0]]), RangeError, "outside");
    assertEquals(sensor.used, 0, "a refused request measures nothing");
    sensor.measure([[1, 0], [2, 0]]);
    assertThrows(() => sensor.measure([[3, 0], [4, 0]]), RangeError, "the budget is 3 (1 left)");
    assertEquals([sensor.used, sensor.refusals.length], [2, 4]);
  });
});

describe("the far challenge rejects shortcuts (kata 05, step 6)", () => {
  const fail = async (fit: FarFit, seed = 1) =>
    farChallengeFailure(await runFarChallenge(fit, FAR_CHALLENGE, seed));

  it("a predictor that knows the machine passes: the target is reachable", async () => {
    const outcome = await runFarChallenge(() => perfectFor(1), FAR_CHALLENGE, 1);
    assertEquals(outcome.mse, 0);
    assertEquals(farChallengeFailure(outcome), undefined);
  });

  it("hard-coding sin(x) + y fails: the machine has its own period and wave", async () => {
    for (const seed of [1, 2, 3]) {
      const failure = await fail(() => (points) => points.map(([x, y]) => Math.sin(x) + y), seed);
      assert(failure?.includes("not below the target"), `seed ${seed}: ${failure}`);
    }
  });

  it("measuring in the scored range is refused, even when the fit catches the refusal", async () => {
    const peek: FarFit = (sensor) => {
      const values = sensor.measure([[205, 0]]);
      return (points) => points.map(() => values[0]);
    };
    await assertRejects(() => runFarChallenge(peek, FAR_CHALLENGE, 1), RangeError, "outside x ∈ [0, 100]");
    const sneaky: FarFit = (sensor) => {
      try {
        sensor.measure([[205, 0]]);
      } catch { /* carry on */ }
      return perfectFor(1);
    };
    assert((await fail(sneaky))?.includes("refused"), "a caught refusal still fails");
  });

  it("measuring beyond the budget is refused, even when the fit catches the refusal", async () => {
    const greedy: FarFit = (sensor) => {
      const points: Point[] = Array.from({ length: sensor.budget + 1 }, (_, i) => [i / 20, 0]);
      try {
        sensor.measure(points);
      } catch { /* carry on */ }
      return perfectFor(1);
    };
    assert((await fail(greedy))?.includes("budget"), "more than the budget fails");
  });

  it("returning numbers recorded on one machine fails on another", async () => {
    let recorded: number[] = [];
    const record: FarFit = () => (points) => recorded = perfectFor(1)(points);
    await runFarChallenge(record, FAR_CHALLENGE, 1);
    const replay: FarFit = () => () => recorded;
    assertEquals(await fail(replay, 1), undefined, "on the machine it was recorded on, a replay passes");
    assert((await fail(replay, 2))?.includes("not below the target"), "on another machine it fails");
  });

  it("a predictor that returns the wrong count or a non-number is an error naming it", async () => {
    await assertRejects(
      () => runFarChallenge(() => () => [1, 2], FAR_CHALLENGE, 1),
      TypeError,
      "got 2 values",
    );
    await assertRejects(
      () => runFarChallenge(() => (points) => points.map(() => NaN), FAR_CHALLENGE, 1),
      TypeError,
      "NaN",
    );
    await assertRejects(
      () => runFarChallenge((() => 5) as unknown as FarFit, FAR_CHALLENGE, 1),
      TypeError,
      "predictor function",
    );
  });

  it("a constant prediction is far from the target: f's variance there is about 0.9", async () => {
    const outcome = await runFarChallenge(() => (points) => points.map(() => 0), FAR_CHALLENGE, 4);
    assertGreater(outcome.mse, 50 * FAR_CHALLENGE.target);
  });
  it("graded code cannot raise the target: FAR_CHALLENGE is frozen, the run scores with its own copy", async () => {
    assert(isDeepFrozen(FAR_CHALLENGE), "FAR_CHALLENGE and everything in it are frozen at module load");
    const raise: FarFit = () => {
      (FAR_CHALLENGE as { target: number }).target = 1e9;
      return (points) => points.map(() => 0);
    };
    await assertRejects(() => runFarChallenge(raise, FAR_CHALLENGE, 1), TypeError, "read only");
    const quietly: FarFit = () => {
      try {
        (FAR_CHALLENGE as { target: number }).target = 1e9;
      } catch { /* carry on */ }
      return (points) => points.map(() => 0);
    };
    assert((await fail(quietly))?.includes("not below the target 0.01"), "the zero predictor still fails");
    assertEquals(FAR_CHALLENGE.target, 0.01);
    // Rules that are not frozen are copied before the fit runs: changing them then changes nothing.
    const rules = structuredClone(FAR_CHALLENGE) as unknown as { target: number; far: { x: number[] } };
    let lowest = Infinity;
    const outcome = await runFarChallenge(
      () => {
        rules.target = 1e9;
        rules.far.x.splice(0, 2, 0, 1);
        return (points) => points.map(([x]) => (lowest = Math.min(lowest, x), 0));
      },
      rules as unknown as FarChallenge,
      1,
    );
    assertGreater(lowest, 200, "the scored points stay in x ∈ [200, 210]");
    assert(farChallengeFailure(outcome)?.includes("not below the target 0.01"), "scored with the copy");
  });

  it("graded code cannot move the sensor's domain onto the scored range, nor clear what it counted", async () => {
    const widen: FarFit = (sensor) => {
      try {
        (sensor.domain.x as [number, number])[1] = 210;
      } catch { /* carry on */ }
      const values = sensor.measure([[205, 0]]);
      return (points) => points.map(() => values[0]);
    };
    await assertRejects(() => runFarChallenge(widen, FAR_CHALLENGE, 1), RangeError, "outside x ∈ [0, 100]");
    assertThrows(() => {
      (FAR_CHALLENGE.measurable.x as [number, number])[1] = 210;
    }, TypeError);
    // The sensor keeps its own frozen copy of the domain it was given.
    const domain: { x: [number, number]; y: [number, number] } = { x: [0, 100], y: [-1, 1] };
    const sensor = createSensor(drawSignal(createRng(1)), domain as Rectangle, {
      budget: 3,
      noise: 0,
      rng: createRng(2),
    });
    domain.x[1] = 210;
    assertThrows(() => sensor.measure([[205, 0]]), RangeError, "outside x ∈ [0, 100]");
    assert(isDeepFrozen(sensor.domain) && Object.isFrozen(sensor));
    assertThrows(() => Object.defineProperty(sensor, "used", { value: 0 }), TypeError);
    assertThrows(() => (sensor.refusals as string[]).splice(0), TypeError);
    assertEquals([sensor.used, sensor.refusals.length], [0, 1]);
    assertThrows(
      () =>
        createSensor(drawSignal(createRng(1)), { x: [0, NaN], y: [-1, 1] }, {
          budget: 1,
          noise: 0,
          rng: createRng(2),
        }),
      RangeError,
      "domain.x",
    );
  });

  it("graded code cannot move the scored points: the predictor gets them frozen", async () => {
    const move: FarFit = () => (points) => {
      (points[0] as [number, number])[0] = 50;
      return points.map(() => 0);
    };
    await assertRejects(() => runFarChallenge(move, FAR_CHALLENGE, 1), TypeError);
  });
});
