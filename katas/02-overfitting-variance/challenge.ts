// deno-lint-ignore-file no-unused-vars -- the stubs name the arguments the learner will use
/**
 * Kata 02, step 7, the challenge: a classifier for 100 samples × 10,000 features whose accuracy on new
 * samples is high and does not swing from run to run.
 *
 * @module
 */
import type { Classifier, Dataset } from "./contract.ts";
import { notImplemented } from "@lib/testing/not_implemented.ts";

export { CHALLENGE_BUDGET, CHALLENGE_TARGET, type Classifier } from "./contract.ts";

/**
 * Step 7 (challenge). You get the 100 labelled development rows of a new case–control study (10,000
 * features, 0/1 labels, like the kata's data) and nothing else. Return a classifier for new rows of the
 * same study.
 *
 * The test draws the study itself and keeps 200 more rows you never see. It calls this function
 * {@linkcode CHALLENGE_TARGET}`.runs` times, with `Math.random` seeded differently each time, scores each
 * classifier once on those rows, and asks for:
 *
 * - a mean accuracy of at least {@linkcode CHALLENGE_TARGET}`.meanAccuracy`, and
 * - a spread (highest − lowest accuracy over the runs) of at most {@linkcode CHALLENGE_TARGET}`.spread`.
 *
 * Budget: each call, with its predictions, may take as long as {@linkcode CHALLENGE_BUDGET}`.trainings`
 * trainings of step 2's network on the same rows (timed in the same run); a disposed classifier leaves
 * no tensors behind.
 *
 * Off limits: any data but `development` (no other rows, no generator, no `KATA_SEED`), and any
 * choice made on rows that are not development rows: every setting you choose, choose it by
 * cross-validation on `development`. Whatever you predict must come from the labels you are given: the
 * test also fits once on development rows with shuffled labels, and expects chance there.
 *
 * @param development The labelled development rows (100 × 10,000); yours to split and resample.
 * @returns A classifier: `predict(features)` gives one 0/1 label per row; `dispose()` frees it.
 */
export function fitClassifier(development: Dataset): Promise<Classifier> {
  return notImplemented("fitClassifier", 7);
}
