/**
 * Kata 03, step 7, the challenge: a training step at 1,000,000 words that costs about what it
 * costs at 20,000. The README's step 7 states the target, the budget and what is off limits.
 *
 * @module
 */
import { notImplemented } from "@lib/testing/not_implemented.ts";
import type { ChallengeSetup, ScalableClassifier } from "./contract.ts";

export { CHALLENGE, type ChallengeSetup, type ScalableClassifier } from "./contract.ts";

/**
 * Step 7. A classifier of token sequences over `setup.vocab` words (token ids → one vector
 * per word → LSTM(`setup.units`) → one logit), initialised from `setup.seed`, whose
 * {@linkcode ScalableClassifier.trainStep} the challenge measures at 20,000 and 1,000,000 words.
 */
export function buildScalableClassifier(_setup: ChallengeSetup): ScalableClassifier {
  return notImplemented("buildScalableClassifier", 7);
}
