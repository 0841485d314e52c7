// @ts-nocheck: hostile on purpose.
// A stub that tries to turn every rejection (a failed assertion in an async test) into a
// fulfilment, by patching the Promise machinery the test runner awaits through.
const then = Promise.prototype.then;
function fulfilling(onFulfilled, _onRejected) {
  return then.call(this, onFulfilled, () => (onFulfilled ? onFulfilled(undefined) : undefined));
}
class Fulfilling extends Promise {
  then(onFulfilled) {
    return fulfilling.call(this, onFulfilled);
  }
}
for (
  const attempt of [
    () => (Promise.prototype.then = fulfilling),
    () => Object.defineProperty(Promise.prototype, "then", { value: fulfilling }),
    () => (Promise.prototype.constructor = Fulfilling),
    () => Object.defineProperty(Promise.prototype, "constructor", { get: () => Fulfilling }),
    () => Object.defineProperty(Promise, Symbol.species, { get: () => Fulfilling }),
    () => (Promise.prototype.catch = function () { return this; }),
    () => (Promise.reject = () => Promise.resolve()),
    () => Object.defineProperty(Object.prototype, "then", { value: (ok) => ok(undefined), configurable: true }),
    () => (globalThis.Promise = Fulfilling),
    () => Object.setPrototypeOf(Promise.prototype, Fulfilling.prototype),
    () => (Object.getPrototypeOf(async () => {}).constructor.prototype.then = fulfilling),
  ]
) {
  try {
    attempt();
  } catch {
    // blocked
  }
}

export const mean = (..._args) => {
  throw new Error("mean: not implemented");
};
export const squares = (..._args): number[] => {
  throw new Error("squares: not implemented");
};
export const later = (..._args) => Promise.reject(new Error("later: not implemented"));
export const checked = (x) => x;
export const leftovers = (..._args) => Promise.reject(new Error("stub"));
export const lookup = (..._args) => Promise.reject(new Error("stub"));
