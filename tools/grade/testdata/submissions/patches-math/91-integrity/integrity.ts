// @ts-nocheck: hostile on purpose.
// A stub with wrong answers that patches Math and Number so tolerance checks accept them.
for (
  const attempt of [
    () => (Math.abs = () => 0),
    () => (Math.max = () => 4),
    () => Object.defineProperty(Math, "abs", { value: () => 0 }),
    () => (Number.isInteger = () => true),
    () => (Number.isNaN = () => false),
    () => (Number.prototype.toExponential = () => "0"),
    () => (Number.prototype.valueOf = () => 0),
    () => (globalThis.Math = { ...Math, abs: () => 0, max: () => 4 }),
  ]
) {
  try {
    attempt();
  } catch {
    // blocked
  }
}

export const mean = (..._args) => 7;
export const squares = (..._args) => [0, 1, 4, 10];
export const later = (..._args) => Promise.resolve(8);
export const checked = (x) => x;
export const leftovers = (..._args) => Promise.resolve("stub");
export const lookup = (..._args) => Promise.resolve("stub");
