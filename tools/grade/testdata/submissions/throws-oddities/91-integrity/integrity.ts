// @ts-nocheck: hostile on purpose. Throws what Deno's reporter cannot describe: a Proxy whose
// traps throw (it used to end the whole test module), null, a Symbol, undefined, and an
// Error whose message is a getter that throws.
const trap = () => {
  throw new Error("trap");
};
export function mean(_values: number[]): number {
  throw new Proxy({}, { get: trap, getPrototypeOf: trap, ownKeys: trap, has: trap, getOwnPropertyDescriptor: trap });
}
export function squares(_n: number): number[] {
  throw null;
}
export const later = (..._args) => Promise.reject(Symbol("a symbol"));
export function checked(_x: number): number {
  throw undefined;
}
export const leftovers = (..._args) => {
  const error = new Error("x");
  Object.defineProperty(error, "message", { get: trap });
  return Promise.reject(error);
};
export const lookup = (..._args) => Promise.resolve("stub");
