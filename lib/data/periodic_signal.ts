/**
 * Kata 05's challenge machine: a seeded signal f(x, y) that repeats in x with a period and a wave
 * of its own (three harmonics), plus a linear term in y, and the only way a learner reaches it — a
 * {@linkcode Sensor} that measures f with noise at points the learner picks inside the measurable
 * rectangle, up to a budget. {@linkcode runFarChallenge} runs a learner's fit against one machine and
 * scores its predictions far outside the measured range, on points the harness draws itself.
 *
 * f(x, y) = Σₖ aₖ sin(k·ω·x + φₖ) + b·y + c, k = 1..3, with the period 2π/ω in
 * [{@linkcode PERIOD_RANGE}], a₁ = 1, a₂ ∈ [0.25, 0.5], a₃ ∈ [0.1, 0.3], b ∈ [0.5, 1.5], c ∈ [−1, 1].
 *
 * @example Usage
 * ```ts
 * import { createRng } from "@lib/core/random.ts";
 * import { createSensor, drawSignal, signalValue } from "@lib/data/periodic_signal.ts";
 * const signal = drawSignal(createRng(1));
 * const sensor = createSensor(signal, { x: [0, 100], y: [-1, 1] }, { budget: 10, noise: 0, rng: createRng(2) });
 * console.log(sensor.measure([[3, 0.5]])[0] === signalValue(signal, 3, 0.5)); // true
 * console.log(sensor.used, sensor.budget); // 1 10
 * ```
 * @module
 */
import { deepFreeze } from "../core/freeze.ts";
import { createRng, type Rng } from "../core/random.ts";

// The judge's own references: graded code runs in this realm and could replace the globals.
const sin = Math.sin;
const isFinite = Number.isFinite;

/** A point of the plane, `[x, y]`. */
export type Point = readonly [number, number];

/** A rectangle of the plane: `x` in `[x[0], x[1]]`, `y` in `[y[0], y[1]]`. */
export interface Rectangle {
  /** The range of x, low then high. */
  readonly x: readonly [number, number];
  /** The range of y, low then high. */
  readonly y: readonly [number, number];
}

/** A learner's model of f: one prediction per point. */
export type Predictor = (points: readonly Point[]) => number[];

/** The only access to the machine: noisy measurements at chosen points of a rectangle, up to a budget. */
export interface Sensor {
  /** Where the sensor can measure. */
  readonly domain: Rectangle;
  /** How many measurements it takes in all. */
  readonly budget: number;
  /** How many it has taken so far. */
  readonly used: number;
  /**
   * f at each point plus Gaussian noise. Throws, measuring nothing, for a point outside `domain`
   * or not finite, and for a request that would take more than `budget` measurements in all.
   */
  measure(points: readonly Point[]): number[];
}

/** The range the period 2π/ω is drawn from. */
export const PERIOD_RANGE: readonly [number, number] = deepFreeze([4, 12]);

/** One machine: the parameters of f. */
export interface PeriodicSignal {
  /** The angular frequency ω (the period is 2π/ω). */
  omega: number;
  /** a₁, a₂, a₃: the amplitude of each harmonic. */
  amplitudes: readonly number[];
  /** φ₁, φ₂, φ₃: the phase of each harmonic. */
  phases: readonly number[];
  /** b: the slope in y. */
  slope: number;
  /** c: the constant. */
  offset: number;
}

/**
 * Draws a machine from `rng`.
 *
 * @example Usage
 * ```ts
 * import { createRng } from "@lib/core/random.ts";
 * import { drawSignal } from "@lib/data/periodic_signal.ts";
 * const { omega, amplitudes } = drawSignal(createRng(3));
 * console.log(2 * Math.PI / omega >= 4, amplitudes[0]); // true 1
 * ```
 * @param rng The generator.
 * @returns The machine's parameters.
 */
export function drawSignal(rng: Rng): PeriodicSignal {
  const between = (low: number, high: number) => low + (high - low) * rng.uniform();
  const period = between(...PERIOD_RANGE);
  return {
    omega: (2 * Math.PI) / period,
    amplitudes: [1, between(0.25, 0.5), between(0.1, 0.3)],
    phases: [0, 0, 0].map(() => between(0, 2 * Math.PI)),
    slope: between(0.5, 1.5),
    offset: between(-1, 1),
  };
}

/**
 * f(x, y) for the machine `signal`, without noise.
 *
 * @example Usage
 * ```ts
 * import { signalValue } from "@lib/data/periodic_signal.ts";
 * const pure = { omega: 1, amplitudes: [1, 0, 0], phases: [0, 0, 0], slope: 1, offset: 0 };
 * console.log(signalValue(pure, Math.PI / 2, 0.5)); // 1.5
 * ```
 * @param signal The machine.
 * @param x The first coordinate.
 * @param y The second coordinate.
 * @returns f(x, y).
 */
export function signalValue(signal: PeriodicSignal, x: number, y: number): number {
  let value = signal.slope * y + signal.offset;
  signal.amplitudes.forEach((a, k) => value += a * sin((k + 1) * signal.omega * x + signal.phases[k]));
  return value;
}

/** How a {@linkcode Sensor} measures. */
export interface SensorOptions {
  /** Measurements allowed in all. */
  budget: number;
  /** The standard deviation of the measurement noise. */
  noise: number;
  /** The noise's generator. */
  rng: Rng;
}

/** A {@linkcode Sensor} that also keeps what it refused, for the harness. */
export interface RecordingSensor extends Sensor {
  /** Every refused request, in words (the learner may have caught the error). */
  readonly refusals: readonly string[];
}

function inside([low, high]: readonly [number, number], value: number): boolean {
  return isFinite(value) && value >= low && value <= high;
}

/**
 * A sensor on the machine `signal` that measures inside `domain` only, at most `options.budget`
 * times, and remembers what it refused. The sensor is frozen and keeps its own frozen copy of `domain`
 * (`sensor.domain`): the code it is handed to can change neither where it measures, nor its budget, nor
 * what it counted and refused (`used` and `refusals` are read-only views of the sensor's own records).
 *
 * @example Usage
 * ```ts
 * import { createRng } from "@lib/core/random.ts";
 * import { createSensor, drawSignal } from "@lib/data/periodic_signal.ts";
 * const sensor = createSensor(drawSignal(createRng(1)), { x: [0, 100], y: [-1, 1] }, {
 *   budget: 4,
 *   noise: 0.05,
 *   rng: createRng(2),
 * });
 * try {
 *   sensor.measure([[205, 0]]);
 * } catch (error) {
 *   console.log((error as Error).message); // "sensor: point 0 is (205, 0), outside x ∈ [0, 100], …"
 * }
 * console.log(sensor.refusals.length); // 1
 * ```
 * @param signal The machine.
 * @param domain Where it may measure.
 * @param options Budget, noise and the noise's generator.
 * @returns The sensor.
 */
export function createSensor(
  signal: PeriodicSignal,
  domain: Rectangle,
  options: SensorOptions,
): RecordingSensor {
  const { budget, noise, rng } = options;
  const own = deepFreeze({ x: copyRange(domain.x, "x"), y: copyRange(domain.y, "y") });
  const refusals: string[] = [];
  let used = 0;
  const refuse = (reason: string): never => {
    refusals.push(reason);
    throw new RangeError(`sensor: ${reason}`);
  };
  return Object.freeze({
    domain: own,
    budget,
    get used() {
      return used;
    },
    get refusals() {
      return Object.freeze([...refusals]);
    },
    measure(points: readonly Point[]) {
      if (!Array.isArray(points)) refuse(`measure takes an array of [x, y] points, got ${typeof points}`);
      points.forEach((point, i) => {
        const [x, y] = Array.isArray(point) ? point : [NaN, NaN];
        if (!inside(own.x, x) || !inside(own.y, y)) {
          refuse(
            `point ${i} is (${x}, ${y}), outside x ∈ [${own.x.join(", ")}], y ∈ [${own.y.join(", ")}]: ` +
              "the machine can only be measured there",
          );
        }
      });
      if (used + points.length > budget) {
        refuse(
          `${points.length} more measurements would make ${used + points.length}; the budget is ${budget} ` +
            `(${budget - used} left)`,
        );
      }
      used += points.length;
      return points.map(([x, y]) => signalValue(signal, x, y) + noise * rng.normal());
    },
  });
}

/** A copy of a `[low, high]` range of finite numbers; throws naming `axis` otherwise. */
function copyRange(range: readonly [number, number], axis: string): [number, number] {
  const [low, high] = Array.isArray(range) ? range : [NaN, NaN];
  if (!(isFinite(low) && isFinite(high) && low <= high)) {
    throw new RangeError(
      `createSensor: domain.${axis} must be [low, high] with finite low ≤ high, got ${range}`,
    );
  }
  return [low, high];
}

/** A learner's answer to the challenge: from a sensor (and a generator of its own) to a predictor. */
export type FarFit = (sensor: Sensor, rng: Rng) => Predictor | Promise<Predictor>;

/** The challenge's rules. */
export interface FarChallenge {
  /** Where the sensor measures. */
  readonly measurable: Rectangle;
  /** Where the predictions are scored. */
  readonly far: Rectangle;
  /** Measurements allowed. */
  readonly budget: number;
  /** The measurement noise's standard deviation. */
  readonly noise: number;
  /** How many points of `far` the score is the mean over. */
  readonly points: number;
  /** The target: the mean squared error on `far` must be below it. */
  readonly target: number;
}

/**
 * Kata 05's challenge: measure in x ∈ [0, 100], y ∈ [−1, 1], at most 1,024 times with noise 0.05, and
 * predict x ∈ [200, 210], y ∈ [−1, 1] with a mean squared error (over 2,000 points) below 0.01 — a
 * hundredth of f's variance, which is about 0.9. Deep-frozen: graded code that writes to it throws.
 */
export const FAR_CHALLENGE: FarChallenge = deepFreeze({
  measurable: { x: [0, 100], y: [-1, 1] },
  far: { x: [200, 210], y: [-1, 1] },
  budget: 1024,
  noise: 0.05,
  points: 2000,
  target: 0.01,
});

/** What one run of the challenge gave. */
export interface FarOutcome {
  /** The machine the learner faced. */
  signal: PeriodicSignal;
  /** Mean squared error against f (no noise) at `points` fresh points of the far rectangle. */
  mse: number;
  /** Measurements taken. */
  used: number;
  /** Requests the sensor refused (outside its rectangle, beyond the budget). */
  refusals: readonly string[];
  /** The rules the run was scored under: its frozen copy, taken before the fit ran. */
  challenge: FarChallenge;
}

function uniformIn(rectangle: Rectangle, rng: Rng): Point {
  const [x0, x1] = rectangle.x;
  const [y0, y1] = rectangle.y;
  return [x0 + (x1 - x0) * rng.uniform(), y0 + (y1 - y0) * rng.uniform()];
}

/**
 * Runs `fit` against the machine drawn from `seed` (the learner never receives this seed: its
 * generator comes from another stream), then scores the predictor at `challenge.points` points of
 * the far rectangle that the harness draws after fitting. Errors the fit or the predictor throw
 * propagate; a predictor that returns the wrong number of values, or a value that is not a finite
 * number, is an error naming what it returned. The run reads the rules from a frozen copy of `challenge`
 * taken before `fit` runs, and hands the predictor frozen points, so graded code can change neither.
 *
 * @example Usage
 * ```ts
 * import { runFarChallenge, signalValue } from "@lib/data/periodic_signal.ts";
 * const rules = {
 *   measurable: { x: [0, 100], y: [-1, 1] },
 *   far: { x: [200, 210], y: [-1, 1] },
 *   budget: 10,
 *   noise: 0.05,
 *   points: 100,
 *   target: 0.01,
 * } as const;
 * const constant = () => (points: readonly (readonly [number, number])[]) => points.map(() => 0);
 * const outcome = await runFarChallenge(constant, rules, 7);
 * console.log(outcome.mse > rules.target, outcome.used); // true 0
 * ```
 * @param fit The learner's fit.
 * @param challenge The rules.
 * @param seed The machine's seed, the harness's own.
 * @returns The score, the measurements used, the refusals and the rules, frozen.
 */
export async function runFarChallenge(
  fit: FarFit,
  challenge: FarChallenge,
  seed: number,
): Promise<FarOutcome> {
  const rules: FarChallenge = deepFreeze(structuredClone(challenge));
  const harness = createRng(seed);
  const signal = drawSignal(harness);
  const sensor = createSensor(signal, rules.measurable, {
    budget: rules.budget,
    noise: rules.noise,
    rng: harness.fork(),
  });
  const learnerRng = createRng(seed ^ 0x5f3759df);
  const predictor = await fit(sensor, learnerRng);
  if (typeof predictor !== "function") {
    throw new TypeError(
      `the fit must return a predictor function (points) => numbers, got ${typeof predictor}`,
    );
  }
  const scoring = harness.fork();
  const points = deepFreeze(Array.from({ length: rules.points }, () => uniformIn(rules.far, scoring)));
  const predictions = predictor(points);
  if (!Array.isArray(predictions) || predictions.length !== points.length) {
    throw new TypeError(
      `the predictor must return one number per point: asked for ${points.length}, got ${
        Array.isArray(predictions) ? `${predictions.length} values` : typeof predictions
      }`,
    );
  }
  let sum = 0;
  predictions.forEach((p, i) => {
    if (typeof p !== "number" || !isFinite(p)) {
      throw new TypeError(
        `the predictor returned ${p} for point (${points[i].join(", ")}); expected a finite number`,
      );
    }
    sum += (p - signalValue(signal, ...points[i])) ** 2;
  });
  return deepFreeze({
    signal,
    mse: sum / points.length,
    used: sensor.used,
    refusals: sensor.refusals,
    challenge: rules,
  });
}

/**
 * Why `outcome` fails the rules it ran under (`outcome.challenge`, the run's frozen copy), in words, or
 * `undefined` when it passes: a refused measurement (outside the measurable rectangle or beyond the
 * budget, even if the fit caught the error), more measurements than the budget, or an error on the far
 * rectangle not below the target.
 *
 * @example Usage
 * ```ts
 * import { FAR_CHALLENGE, farChallengeFailure, runFarChallenge } from "@lib/data/periodic_signal.ts";
 * const zero = () => (points: readonly (readonly [number, number])[]) => points.map(() => 0);
 * console.log(farChallengeFailure(await runFarChallenge(zero, FAR_CHALLENGE, 1)));
 * // "the mean squared error on x ∈ [200, 210] is 1.3…, not below the target 0.01"
 * ```
 * @param outcome What {@linkcode runFarChallenge} returned.
 * @returns The reason, or `undefined`.
 */
export function farChallengeFailure(outcome: FarOutcome): string | undefined {
  const { challenge } = outcome;
  if (outcome.refusals.length > 0) {
    return `the sensor refused ${outcome.refusals.length} request(s), first: ${outcome.refusals[0]}`;
  }
  if (outcome.used > challenge.budget) {
    return `${outcome.used} measurements taken; the budget is ${challenge.budget}`;
  }
  if (!(outcome.mse < challenge.target)) {
    return `the mean squared error on x ∈ [${challenge.far.x.join(", ")}] is ${
      outcome.mse.toPrecision(3)
    }, not below the target ${challenge.target}`;
  }
  return undefined;
}
