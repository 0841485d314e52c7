// @ts-nocheck: hostile on purpose.
// A stub that tries to make the assertions pass anyway: node:assert's comparison, the
// intrinsics a comparison relies on, `instanceof` for assertThrows, and what a failure throws.
import nodeAssert from "node:assert";
import { AssertionError } from "@std/assert";

const yes = () => true;
for (
  const attempt of [
    () => (nodeAssert.deepStrictEqual = () => {}),
    () => (nodeAssert.strict.deepStrictEqual = () => {}),
    () => Object.defineProperty(nodeAssert, "deepStrictEqual", { value: () => {} }),
    () => (Object.is = yes),
    () => (Object.keys = () => []),
    () => (Reflect.ownKeys = () => []),
    () => (Object.getPrototypeOf = () => null),
    () => (Array.isArray = yes),
    () => (Array.prototype.some = () => false),
    () => (Array.prototype.every = yes),
    () => (JSON.stringify = () => "same"),
    () => (String.prototype.includes = yes),
    () => Object.defineProperty(RangeError, Symbol.hasInstance, { value: yes }),
    () => Object.defineProperty(Error, Symbol.hasInstance, { value: yes }),
    () => Object.defineProperty(Function.prototype, Symbol.hasInstance, { value: yes }),
    () => (Error.prototype.constructor = Object),
    () => (Error.captureStackTrace = () => {}),
    () => (AssertionError.prototype.name = "Passed"),
    () => Object.setPrototypeOf(AssertionError.prototype, null),
  ]
) {
  try {
    attempt();
  } catch {
    // blocked
  }
}

export const mean = (..._args) => 0;
export const squares = (..._args) => [1];
export const later = (..._args) => Promise.resolve(0);
export const checked = (x) => x;
export const leftovers = (..._args) => Promise.resolve("stub");
export const lookup = (..._args) => Promise.resolve("stub");
