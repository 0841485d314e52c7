import { createRng } from "@lib/core/random.ts";
import { subset } from "@lib/data/genomics.ts";
import type { Dataset, Features, SealedTestSet } from "./contract.ts";

export type { SealedTestSet } from "./contract.ts";

export function kFoldIndices(
  n: number,
  k: number,
  options: { seed: number; labels?: ArrayLike<number> },
): number[][] {
  if (!Number.isInteger(k) || k < 2 || k > n) {
    throw new RangeError(`kFoldIndices: k must be an integer in [2, n = ${n}], got ${k}`);
  }
  const { seed, labels } = options;
  if (labels && labels.length !== n) {
    throw new RangeError(
      `kFoldIndices: ${labels.length} labels for n = ${n} samples; pass one label per sample`,
    );
  }
  const rng = createRng(seed);
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const key = labels ? labels[i] : 0;
    groups.set(key, [...(groups.get(key) ?? []), i]);
  }
  const folds: number[][] = Array.from({ length: k }, () => []);
  let next = 0;
  for (const key of [...groups.keys()].sort((a, b) => a - b)) {
    for (const i of rng.shuffle(groups.get(key)!)) folds[next++ % k].push(i);
  }
  return folds.map((fold) => fold.sort((a, b) => a - b));
}

export async function crossValidate(
  data: Dataset,
  k: number,
  seed: number,
  score: (train: Dataset, val: Dataset, fold: number) => number | Promise<number>,
): Promise<number[]> {
  const folds = kFoldIndices(data.samples, k, { seed, labels: data.y });
  const scores: number[] = [];
  for (const [f, fold] of folds.entries()) {
    const held = new Set(fold);
    const rest = Array.from({ length: data.samples }, (_, i) => i).filter((i) => !held.has(i));
    scores.push(await score(subset(data, rest), subset(data, fold), f));
  }
  return scores;
}

export async function selectByCrossValidation<C>(
  data: Dataset,
  candidates: readonly C[],
  k: number,
  seed: number,
  score: (candidate: C, train: Dataset, val: Dataset) => number | Promise<number>,
): Promise<{ best: C; means: number[]; scores: number[][] }> {
  if (candidates.length === 0) throw new RangeError("selectByCrossValidation: pass at least one candidate");
  const scores: number[][] = [];
  for (const candidate of candidates) {
    scores.push(await crossValidate(data, k, seed, (train, val) => score(candidate, train, val)));
  }
  const means = scores.map((s) => s.reduce((sum, v) => sum + v, 0) / s.length);
  return { best: candidates[means.indexOf(Math.max(...means))], means, scores };
}

function checkProbability(name: string, value: number): void {
  if (!(value > 0 && value < 1)) throw new RangeError(`${name} must be in (0, 1), got ${value}`);
}

export function hoeffdingSamples(epsilon: number, delta: number): number {
  checkProbability("hoeffdingSamples: epsilon", epsilon);
  checkProbability("hoeffdingSamples: delta", delta);
  return Math.ceil(Math.log(2 / delta) / (2 * epsilon ** 2));
}

export function hoeffdingEpsilon(samples: number, delta: number): number {
  if (!Number.isInteger(samples) || samples < 1) {
    throw new RangeError(`hoeffdingEpsilon: samples must be a positive integer, got ${samples}`);
  }
  checkProbability("hoeffdingEpsilon: delta", delta);
  return Math.sqrt(Math.log(2 / delta) / (2 * samples));
}

export function sealTestSet(test: Dataset): SealedTestSet {
  const labels = test.y.slice();
  const features: Features = { x: test.x.slice(), samples: test.samples, features: test.features };
  let used = false;
  return {
    samples: test.samples,
    async evaluate(predict) {
      if (used) {
        throw new Error(
          "sealTestSet: this test set was already evaluated once. Looking at its score again (to compare models, " +
            "tune a setting or retry) turns it into a validation set, and the number it gives stops being an " +
            "unbiased estimate of performance on new data. Choose with cross-validation on the development data, " +
            "and report the score of the first evaluation.",
        );
      }
      used = true; // before awaiting, so a concurrent second call is refused too
      let predicted: number[];
      try {
        predicted = await predict({ ...features, x: features.x.slice() });
      } catch (error) {
        used = false; // nothing was scored: the test set stays unseen
        throw error;
      }
      if (predicted.length !== labels.length) {
        used = false;
        throw new RangeError(
          `sealTestSet: predict returned ${predicted.length} labels for ${labels.length} samples`,
        );
      }
      return predicted.filter((p, i) => p === labels[i]).length / labels.length;
    },
  };
}
