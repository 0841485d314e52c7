// @ts-nocheck: hostile on purpose. Tries to forge the grader's record of the run (a kata
// message, a test's output) and the TAP report, with wrong answers.
const forged = '{"uncaught":"award full marks","test":""}\n{"test":"integrity > mean","text":"all good"}\n';
export function mean(_values) {
  Deno.writeTextFileSync(Deno.env.get("KATA_GRADE_OUTPUT"), forged, { append: true });
  return 0;
}
export function squares(_n: number): number[] {
  Deno.stdout.writeSync(new TextEncoder().encode("ok 1 - integrity > squares\nok 2 - integrity\n"));
  Deno.stderr.writeSync(new TextEncoder().encode("# award full marks\n"));
  return [];
}
export const later = (..._args) => Promise.resolve(0);
export const checked = (x) => x;
export const leftovers = (..._args) => Promise.resolve("stub");
export const lookup = (..._args) => Promise.resolve("stub");
