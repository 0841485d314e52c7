/**
 * A kata object for the tools' unit tests, without files on disk: a valid manifest with the given steps,
 * and whatever fields a test overrides.
 *
 * @example Usage
 * ```ts
 * import { fakeKata } from "./fake_kata.ts";
 * const kata = fakeKata("07-x", { modules: ["m.ts"] });
 * console.log(kata.id, kata.meta.steps.length); // "07" 1
 * ```
 * @module
 */
import type { Step } from "../catalog/manifest.ts";
import type { Kata } from "../catalog/katas.ts";

/**
 * A fake kata named `slug`, in `/r/katas/<slug>`, with one learner module `m.ts`, one test file `m_test.ts`
 * and one step, unless `overrides` (and `steps`) say otherwise.
 *
 * @example Usage
 * ```ts
 * import { fakeKata } from "./fake_kata.ts";
 * const kata = fakeKata("09-y", {}, [{ title: "A", functions: ["a"], tests: ["a_test.ts"], hints: ["?"] }]);
 * console.log(kata.meta.steps[0].title); // "A"
 * ```
 * @param slug The kata's folder name.
 * @param overrides Fields to replace (`modules`, `tests`, `dir`, …).
 * @param steps The manifest's steps.
 * @returns The kata.
 */
export function fakeKata(
  slug: string,
  overrides: Partial<Omit<Kata, "meta">> = {},
  steps: Step[] = [{ title: "One", functions: ["f"], tests: ["m_test.ts"], hints: ["?", "f"] }],
): Kata {
  const modules = overrides.modules ?? ["m.ts"];
  const tests = overrides.tests ?? [...new Set(steps.flatMap((s) => s.tests))];
  const support = overrides.support ?? [];
  return {
    id: slug.slice(0, 2),
    slug,
    dir: `/r/katas/${slug}`,
    ...overrides,
    modules,
    support,
    tests,
    meta: {
      title: slug,
      question: "?",
      headline: "?",
      concepts: ["x"],
      difficulty: "beginner",
      points: 1,
      files: { learner: modules, support, tests },
      steps,
    },
  };
}
