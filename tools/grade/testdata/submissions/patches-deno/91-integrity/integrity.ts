// @ts-nocheck: hostile on purpose.
// A stub that tries to score by replacing the test runner: the bdd module looks `Deno.test` up
// when describe() runs, after this module has loaded, so a replaced `Deno` (or `Deno.test`)
// could register every test with its body skipped.
const real = globalThis.Deno;
const skipSteps = (t) =>
  new Proxy(t, {
    get: (target, key) =>
      key === "step" ? (def) => target.step({ ...def, fn: () => {} }) : Reflect.get(target, key),
  });
const fakeTest = (...args) => {
  const def = typeof args[0] === "object" ? args[0] : { name: args[0], fn: args.at(-1) };
  return real.test({ ...def, fn: (t) => def.fn(skipSteps(t)) });
};
const fakeDeno = Object.create(real, { test: { value: fakeTest } });
for (
  const attempt of [
    () => (globalThis.Deno = fakeDeno),
    () => Object.defineProperty(globalThis, "Deno", { value: fakeDeno, configurable: true, writable: true }),
    () => Reflect.defineProperty(globalThis, "Deno", { get: () => fakeDeno }),
    () => (real.test = fakeTest),
    () => Object.defineProperty(real, "test", { value: fakeTest }),
    () => Object.setPrototypeOf(real, fakeDeno),
  ]
) {
  try {
    attempt();
  } catch {
    // blocked
  }
}

export const mean = (..._args) => 0;
export const squares = (..._args) => [];
export const later = (..._args) => Promise.resolve(0);
export const checked = (x) => x;
export const leftovers = (..._args) => Promise.resolve("stub");
export const lookup = (..._args) => Promise.resolve("stub");
