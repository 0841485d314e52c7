/**
 * Deep freezing: the one way a constant that graded code can reach is made read-only all the way down,
 * so that a challenge's rules cannot be changed by the code they judge.
 *
 * @example Usage
 * ```ts
 * import { deepFreeze } from "@lib/core/freeze.ts";
 * const RULES = deepFreeze({ target: 0.01, far: { x: [200, 210] } });
 * console.log(Object.isFrozen(RULES.far.x)); // true
 * ```
 * @module
 */

/** `T` read-only at every depth: objects, arrays and tuples; functions and primitives as they are. */
export type DeepReadonly<T> = T extends (...args: never[]) => unknown ? T
  : T extends readonly unknown[] ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
  : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
  : T;

function isPlain(value: unknown): value is object {
  if (value === null || typeof value !== "object") return false;
  if (Array.isArray(value)) return true;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Freezes `value` and, recursively, every plain object and array it holds (own properties, symbols
 * included; cycles are fine), then returns it typed read-only at every depth. Other objects it holds (class instances,
 * typed arrays, tensors) are left as they are: freezing them would break their owners. Writing to a
 * frozen value throws a `TypeError` in strict code (every module) and does nothing elsewhere.
 *
 * @example Usage
 * ```ts
 * import { deepFreeze } from "@lib/core/freeze.ts";
 * const limits = deepFreeze({ budget: 1024, domain: { x: [0, 100] as [number, number] } });
 * try {
 *   (limits.domain.x as [number, number])[1] = 210;
 * } catch (error) {
 *   console.log((error as Error).name); // TypeError
 * }
 * console.log(limits.domain.x[1]); // 100
 * ```
 * @param value A plain object or array (anything else is returned unchanged).
 * @returns The same value, frozen.
 */
export function deepFreeze<T>(value: T): DeepReadonly<T> {
  freezeAll(value, new WeakSet());
  return value as DeepReadonly<T>;
}

/** Freezes `value` and what it holds, once each (`seen` stops cycles). */
function freezeAll(value: unknown, seen: WeakSet<object>): void {
  if (!isPlain(value) || seen.has(value)) return;
  seen.add(value);
  Object.freeze(value);
  for (const key of Reflect.ownKeys(value)) freezeAll((value as Record<PropertyKey, unknown>)[key], seen);
}

/**
 * Whether `value` and every plain object and array it holds are frozen (anything else counts as frozen).
 *
 * @example Usage
 * ```ts
 * import { deepFreeze, isDeepFrozen } from "@lib/core/freeze.ts";
 * const shallow = Object.freeze({ inner: { n: 1 } });
 * console.log(isDeepFrozen(shallow), isDeepFrozen(deepFreeze(shallow))); // false true
 * ```
 * @param value Any value.
 * @param seen Values already checked (stops cycles); leave it out.
 * @returns True when nothing plain in it can be changed.
 */
export function isDeepFrozen(value: unknown, seen: WeakSet<object> = new WeakSet()): boolean {
  if (!isPlain(value) || seen.has(value)) return true;
  seen.add(value);
  return Object.isFrozen(value) &&
    Reflect.ownKeys(value).every((key) => isDeepFrozen((value as Record<PropertyKey, unknown>)[key], seen));
}
