import type { Classifier, Dataset, Features } from "./contract.ts";
import { crossValidate } from "./protocol.ts";

/** How many top-ranked features to keep: the one setting, chosen by cross-validation. */
const KEEP = [5, 10, 20, 50, 100, 200, 500];
const FOLDS = 5;

/** Per-feature class means and pooled within-class variance. */
function classStatistics(data: Dataset) {
  const { samples: n, features: d } = data;
  const sums = [new Float64Array(d), new Float64Array(d)];
  const counts = [0, 0];
  for (let i = 0; i < n; i++) {
    const c = data.y[i];
    counts[c]++;
    const row = data.x.subarray(i * d, (i + 1) * d);
    for (let j = 0; j < d; j++) sums[c][j] += row[j];
  }
  const means = sums.map((s, c) => s.map((v) => v / counts[c]));
  const variance = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const m = means[data.y[i]];
    const row = data.x.subarray(i * d, (i + 1) * d);
    for (let j = 0; j < d; j++) variance[j] += (row[j] - m[j]) ** 2;
  }
  for (let j = 0; j < d; j++) variance[j] /= n - 2;
  return { means, variance, counts };
}

/** Features ranked by the absolute two-sample t statistic on `train`, largest first, with the statistics. */
function rankFeatures(train: Dataset) {
  const { means, variance, counts } = classStatistics(train);
  const scale = Math.sqrt(1 / counts[0] + 1 / counts[1]);
  const t = means[1].map((m1, j) => Math.abs(m1 - means[0][j]) / (Math.sqrt(variance[j]) * scale));
  const order = Uint32Array.from(t.keys()).sort((a, b) => t[b] - t[a]);
  return { order, means, variance };
}

/**
 * Diagonal linear discriminant on the `keep` top-ranked features: a row goes to the class whose mean it
 * is nearer, each feature's distance scaled by its pooled variance. Deterministic: the same rows give
 * the same classifier.
 */
function discriminant(ranking: ReturnType<typeof rankFeatures>, keep: number) {
  const { order, means, variance } = ranking;
  const chosen = Array.from(order.subarray(0, keep));
  const weight = chosen.map((j) => (means[1][j] - means[0][j]) / variance[j]);
  const centre = chosen.map((j) => (means[1][j] + means[0][j]) / 2);
  return (data: Features): number[] =>
    Array.from({ length: data.samples }, (_, i) => {
      const row = data.x.subarray(i * data.features, (i + 1) * data.features);
      const score = chosen.reduce((sum, j, k) => sum + (row[j] - centre[k]) * weight[k], 0);
      return score > 0 ? 1 : 0;
    });
}

const accuracyOf = (predicted: number[], data: Dataset) =>
  predicted.filter((p, i) => p === data.y[i]).length / data.samples;

export async function fitClassifier(development: Dataset): Promise<Classifier> {
  // Every choice is made inside the folds: each fold ranks the features on its own training rows and
  // scores every candidate size on its held-out rows (one ranking per fold serves all candidates).
  const scores: number[][] = [];
  await crossValidate(development, FOLDS, 0, (train, val) => {
    const ranking = rankFeatures(train);
    scores.push(KEEP.map((keep) => accuracyOf(discriminant(ranking, keep)(val), val)));
    return Math.max(...scores.at(-1)!);
  });
  const means = KEEP.map((_, c) => scores.reduce((sum, fold) => sum + fold[c], 0) / scores.length);
  // On a tie, the fewest features (the simpler model).
  const keep = KEEP[means.indexOf(Math.max(...means))];
  const predict = discriminant(rankFeatures(development), keep);
  return { predict, dispose() {} };
}
