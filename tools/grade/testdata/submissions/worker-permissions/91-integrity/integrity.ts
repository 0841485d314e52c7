// @ts-nocheck: hostile on purpose. Asks for a Worker with more permissions than its own
// (Deno ends the whole test process with exit code 70 when it sees that option).
export function mean(values) {
  new Worker(new URL("./integrity.ts", import.meta.url), {
    type: "module",
    deno: { permissions: { read: true, net: true, run: true } },
  });
  return values.reduce((a, b) => a + b, 0) / values.length;
}
export const squares = (n: number): number[] => Array.from({ length: n }, (_, i) => i * i);
export const later = (..._args) => Promise.resolve(0);
export const checked = (x) => x;
export const leftovers = (..._args) => Promise.resolve("stub");
export const lookup = (..._args) => Promise.resolve("stub");
