/**
 * A benchmark class for `deno task grade --roster` (BENCHMARKS.md, "Grading a class"): 12 submissions
 * of the six katas. Every module a learner wrote is unlike the others byte for byte (a comment naming the
 * learner ends it), so no grading reuses another's staged copy or type-check, as with a real class; a kata
 * the learner did not start is the published stub, byte for byte, as a real learner submits it (with
 * `--unique-stubs`, it gets the comment too: the class measured before the grader reused untouched stubs):
 *
 * - `reference-1…4`: the reference solutions;
 * - `stub-1…4`: the published stubs, untouched but for the comment;
 * - `partial-1…2`: the solutions of katas 01–03, the stubs of 04–06;
 * - `broken-types`: the solutions, with a type error in kata 01's module;
 * - `broken-syntax`: the stubs, with a syntax error in kata 03's first module.
 *
 * ```sh
 * deno run -A tools/bench/class_roster.ts /tmp/class [--unique-stubs]   # writes /tmp/class/<learner>/NN-slug/…
 * deno task grade --roster /tmp/class --out /tmp/class-out --jobs 2
 * ```
 *
 * @example Usage
 * ```ts ignore
 * import { writeClassRoster } from "./class_roster.ts";
 * const ids = await writeClassRoster("/tmp/class");
 * ```
 * @module
 */
import { join } from "node:path";
import { type Kata, listKatas, ROOT } from "../catalog/katas.ts";

type Source = "solution" | "stub";

/** Each learner: which version of each kata (by index 0–5), and a change to one module. */
const CLASS: Record<string, { source: (kata: number) => Source; breaks?: { kata: number; text: string } }> = {
  ...Object.fromEntries([1, 2, 3, 4].map((i) => [`reference-${i}`, { source: () => "solution" as const }])),
  ...Object.fromEntries([1, 2, 3, 4].map((i) => [`stub-${i}`, { source: () => "stub" as const }])),
  ...Object.fromEntries(
    [1, 2].map((i) => [`partial-${i}`, { source: (k: number) => k < 3 ? "solution" : "stub" }]),
  ),
  "broken-types": {
    source: () => "solution",
    breaks: { kata: 0, text: 'export const broken: number = "x";\n' },
  },
  "broken-syntax": { source: () => "stub", breaks: { kata: 2, text: "export function (\n" } },
};

/**
 * Writes the class (see the module doc) into `dir`, one folder per learner.
 *
 * @example Usage
 * ```ts ignore
 * import { writeClassRoster } from "./class_roster.ts";
 * console.log(await writeClassRoster("/tmp/class")); // ["broken-syntax", …]
 * ```
 * @param dir The roster folder (created).
 * @param root The course repository.
 * @param options `uniqueStubs`: end the untouched stubs' modules with the learner's comment too.
 * @returns The learner ids.
 */
export async function writeClassRoster(
  dir: string,
  root: string = ROOT,
  options: { uniqueStubs?: boolean } = {},
): Promise<string[]> {
  const katas: Kata[] = await listKatas(root);
  for (const [id, learner] of Object.entries(CLASS)) {
    for (const [index, kata] of katas.entries()) {
      const from = join(root, learner.source(index) === "solution" ? "solutions" : "katas", kata.slug);
      await Deno.mkdir(join(dir, id, kata.slug), { recursive: true });
      const untouched = learner.source(index) === "stub" && learner.breaks?.kata !== index &&
        !options.uniqueStubs;
      for (const [m, module] of kata.modules.entries()) {
        const broken = learner.breaks?.kata === index && m === 0 ? learner.breaks.text : "";
        const text = await Deno.readTextFile(join(from, module));
        await Deno.writeTextFile(
          join(dir, id, kata.slug, module),
          untouched ? text : `${text}${broken}\n// ${id}\n`,
        );
      }
    }
  }
  return Object.keys(CLASS).sort();
}

if (import.meta.main) {
  const dir = Deno.args.find((a) => !a.startsWith("--"));
  const unknown = Deno.args.filter((a) => a.startsWith("--") && a !== "--unique-stubs");
  if (!dir || unknown.length) {
    console.error("usage: deno run -A tools/bench/class_roster.ts DIR [--unique-stubs]");
    Deno.exit(2);
  }
  console.log(
    (await writeClassRoster(dir, ROOT, { uniqueStubs: Deno.args.includes("--unique-stubs") })).join("\n"),
  );
}
