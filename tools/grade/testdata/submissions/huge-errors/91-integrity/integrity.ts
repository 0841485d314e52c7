// @ts-nocheck: hostile on purpose. Fails with 100 MB messages and prints 100 MB.
const huge = "x".repeat(100_000_000);
export function mean(_values: number[]): number {
  throw new Error(huge);
}
export function squares(_n: number): number[] {
  throw huge;
}
export const later = (..._args) => Promise.reject(new RangeError(huge));
export function checked(x) {
  console.log(huge);
  return x;
}
export const leftovers = (..._args) => Promise.resolve(huge);
export const lookup = (..._args) => Promise.resolve("stub");
