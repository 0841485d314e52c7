/**
 * Freezes, inside a graded test process and before any graded code runs, everything that
 * decides whether an assertion passes: the JavaScript intrinsics (`Object`, `Array`, `Promise`,
 * `Math`, `JSON`, `Reflect`, the error classes, typed arrays, iterators, `WebAssembly`, `Intl`
 * and the prototypes behind them), `performance`, the `Deno` namespace and the global bindings
 * that name them. Graded code then cannot make a rejected promise fulfil, a comparison succeed
 * or `Math.abs` lie: every property is read-only and nothing can be added.
 *
 * Two things stay writable on purpose: `Math.random` (the harness seeds it, `lib/core/random.ts`)
 * and `Error.stackTraceLimit` / `Error.prepareStackTrace` (libraries set them; they shape stack
 * text, never an outcome). Assigning to a property an object inherits from a frozen prototype
 * would fail in strict code (`MyError.prototype.name = "MyError"`, `Foo.prototype.toString =`),
 * so the properties such code assigns (`constructor`, `toString`, `valueOf`, … on
 * `Object.prototype`, `name`, `message` on the error prototypes) become accessors whose setter
 * defines the property on the object assigned to, as in SES's "moderate" override taming.
 *
 * @example Usage
 * ```ts ignore
 * import { hardenRealm } from "./harden.ts";
 * hardenRealm();
 * Promise.prototype.then = () => {}; // TypeError: Cannot assign to read only property 'then'
 * ```
 * @module
 */

/** Global bindings of the standard intrinsics: made read-only, and their values frozen deeply. */
export const INTRINSIC_GLOBALS: readonly string[] = [
  "Object",
  "Function",
  "Array",
  "Number",
  "Boolean",
  "String",
  "Symbol",
  "BigInt",
  "Math",
  "JSON",
  "Reflect",
  "Proxy",
  "Promise",
  "Date",
  "RegExp",
  "Error",
  "AggregateError",
  "EvalError",
  "RangeError",
  "ReferenceError",
  "SyntaxError",
  "TypeError",
  "URIError",
  "Map",
  "Set",
  "WeakMap",
  "WeakSet",
  "WeakRef",
  "FinalizationRegistry",
  "ArrayBuffer",
  "SharedArrayBuffer",
  "DataView",
  "Atomics",
  "Int8Array",
  "Uint8Array",
  "Uint8ClampedArray",
  "Int16Array",
  "Uint16Array",
  "Int32Array",
  "Uint32Array",
  "Float16Array",
  "Float32Array",
  "Float64Array",
  "BigInt64Array",
  "BigUint64Array",
  "Iterator",
  "Intl",
  "WebAssembly",
  "isNaN",
  "isFinite",
  "parseFloat",
  "parseInt",
  "decodeURI",
  "decodeURIComponent",
  "encodeURI",
  "encodeURIComponent",
  "structuredClone",
  "performance",
  "Performance",
];

/**
 * Deno's `node:` modules that, when first loaded, assign to intrinsics (`Buffer.of`, a `Set`'s
 * iterator, `performance.eventLoopUtilization`): loaded before {@linkcode hardenRealm}, after
 * which every other `node:` module loads as usual (a test checks all of them).
 */
export const EARLY_BUILTINS: readonly string[] = [
  "node:buffer",
  "node:process",
  "node:perf_hooks",
  "node:module",
];

/**
 * Loads {@linkcode EARLY_BUILTINS}; call it before {@linkcode hardenRealm}.
 *
 * @example Usage
 * ```ts ignore
 * import { hardenRealm, loadEarlyBuiltins } from "./harden.ts";
 * await loadEarlyBuiltins();
 * hardenRealm();
 * ```
 */
export async function loadEarlyBuiltins(): Promise<void> {
  for (const name of EARLY_BUILTINS) await import(name);
}

/** Properties that stay writable (and are not frozen deeper), by the object that holds them. */
const KEPT_WRITABLE: ReadonlyMap<object, readonly PropertyKey[]> = new Map<object, PropertyKey[]>([
  [Math, ["random"]],
  [Error, ["stackTraceLimit", "prepareStackTrace"]],
]);

const ERROR_CLASSES = [
  Error,
  EvalError,
  RangeError,
  ReferenceError,
  SyntaxError,
  TypeError,
  URIError,
  AggregateError,
];

/** Properties that code commonly assigns on objects inheriting them: tamed into accessors. */
const OVERRIDDEN: ReadonlyMap<object, readonly PropertyKey[]> = new Map<object, PropertyKey[]>([
  [Object.prototype, [
    "constructor",
    "hasOwnProperty",
    "isPrototypeOf",
    "propertyIsEnumerable",
    "toLocaleString",
    "toString",
    "valueOf",
  ]],
  [Function.prototype, ["constructor", "toString"]],
  ...ERROR_CLASSES.map((
    c,
  ): [object, PropertyKey[]] => [c.prototype, ["constructor", "message", "name", "toString"]]),
]);

/** Intrinsics no global names: reachable only through syntax. */
function hiddenIntrinsics(): unknown[] {
  const found: unknown[] = [
    Object.getPrototypeOf(function* () {}),
    Object.getPrototypeOf(async function () {}),
    Object.getPrototypeOf(async function* () {}),
    Object.getPrototypeOf([][Symbol.iterator]()),
    Object.getPrototypeOf(""[Symbol.iterator]()),
    Object.getPrototypeOf(new Map().entries()),
    Object.getPrototypeOf(new Set().values()),
    Object.getPrototypeOf(/x/[Symbol.matchAll]("")),
    Object.getPrototypeOf(Int8Array),
  ];
  const iterator = [].values() as unknown as { map?: (f: (x: unknown) => unknown) => object };
  if (typeof iterator.map === "function") found.push(Object.getPrototypeOf(iterator.map((x) => x)));
  const IteratorClass = (globalThis as { Iterator?: { from?: (i: object) => object } }).Iterator;
  if (typeof IteratorClass?.from === "function") {
    found.push(Object.getPrototypeOf(IteratorClass.from({ next: () => ({ done: true, value: undefined }) })));
  }
  return found;
}

function isObject(value: unknown): value is object {
  return (typeof value === "object" && value !== null) || typeof value === "function";
}

/** Turns a data property into an accessor whose setter shadows it on the receiver. */
function tame(holder: object, key: PropertyKey): void {
  const desc = Reflect.getOwnPropertyDescriptor(holder, key);
  if (!desc || !("value" in desc) || !desc.configurable) return;
  const value = desc.value;
  const name = typeof key === "symbol" ? key.toString() : key;
  Reflect.defineProperty(holder, key, {
    get: function getter() {
      return value;
    },
    set: function setter(this: unknown, next: unknown) {
      if (this === holder || !isObject(this)) {
        throw new TypeError(`Cannot assign to read only property '${name}' of a frozen intrinsic`);
      }
      if (Object.hasOwn(this, key)) (this as Record<PropertyKey, unknown>)[key] = next;
      else {Reflect.defineProperty(this, key, {
          value: next,
          writable: true,
          enumerable: true,
          configurable: true,
        });}
    },
    enumerable: desc.enumerable,
    configurable: false,
  });
}

/** Makes every own property of `target` read-only and non-configurable, except `kept`, then seals it. */
function freezeExcept(target: object, kept: readonly PropertyKey[]): void {
  if (kept.length === 0) {
    Object.freeze(target);
    return;
  }
  for (const key of Reflect.ownKeys(target)) {
    const desc = Reflect.getOwnPropertyDescriptor(target, key)!;
    const writable = kept.includes(key);
    Reflect.defineProperty(
      target,
      key,
      "value" in desc
        ? { writable: writable && desc.writable, configurable: false }
        : { configurable: false },
    );
  }
  Object.preventExtensions(target);
}

/**
 * Freezes `roots` and everything reachable from them through properties, accessors and
 * prototypes, taming the {@linkcode OVERRIDDEN} properties and keeping the writable exceptions.
 *
 * @example Usage
 * ```ts
 * import { hardenGraph } from "./harden.ts";
 * const config = { limits: { seconds: 30 } };
 * hardenGraph([config], new Set([Object.prototype])); // leave this process's intrinsics alone
 * console.log(Object.isFrozen(config.limits)); // true
 * ```
 * @param roots The objects to freeze.
 * @param stopAt Objects not to enter (already handled, or meant to stay mutable).
 * @returns How many objects were frozen.
 */
export function hardenGraph(roots: unknown[], stopAt: ReadonlySet<object> = new Set()): number {
  const seen = new Set<object>();
  const order: object[] = [];
  const queue = [...roots];
  while (queue.length > 0) {
    const next = queue.pop();
    if (!isObject(next) || seen.has(next) || stopAt.has(next)) continue;
    seen.add(next);
    order.push(next);
    queue.push(Reflect.getPrototypeOf(next));
    const kept = KEPT_WRITABLE.get(next) ?? [];
    for (const key of Reflect.ownKeys(next)) {
      if (kept.includes(key)) continue;
      const desc = Reflect.getOwnPropertyDescriptor(next, key)!;
      if ("value" in desc) queue.push(desc.value);
      else queue.push(desc.get, desc.set);
    }
  }
  for (const target of order) {
    for (const key of OVERRIDDEN.get(target) ?? []) tame(target, key);
    freezeExcept(target, KEPT_WRITABLE.get(target) ?? []);
  }
  return order.length;
}

/**
 * Makes `name` on the global object read-only and non-configurable, keeping its value.
 *
 * @example Usage
 * ```ts ignore
 * import { lockGlobal } from "./harden.ts";
 * lockGlobal("Deno");
 * ```
 * @param name A global binding.
 */
export function lockGlobal(name: string): void {
  const desc = Reflect.getOwnPropertyDescriptor(globalThis, name);
  if (!desc) return;
  Reflect.defineProperty(
    globalThis,
    name,
    "value" in desc ? { writable: false, configurable: false } : { configurable: false },
  );
}

/**
 * Freezes an object and the prototypes of the classes among its properties, one level deep:
 * for host objects like `Deno` whose deeper parts hold live state.
 *
 * @example Usage
 * ```ts
 * import { freezeShallow } from "./harden.ts";
 * const api = { read() {}, Reader: class {} };
 * freezeShallow(api);
 * console.log(Object.isFrozen(api), Object.isFrozen(api.Reader.prototype)); // true true
 * ```
 * @param target The object.
 */
export function freezeShallow(target: object): void {
  for (const key of Reflect.ownKeys(target)) {
    const desc = Reflect.getOwnPropertyDescriptor(target, key)!;
    const value = desc.value;
    if (typeof value === "function" && isObject(value.prototype)) {
      Object.freeze(value.prototype);
      Object.freeze(value);
    } else if (typeof value === "function") Object.freeze(value);
  }
  Object.freeze(target);
}

/**
 * Freezes the intrinsics and the `Deno` namespace and locks their global names (see the
 * module doc). Call it once, before any graded module is loaded.
 *
 * @example Usage
 * ```ts ignore
 * import { hardenRealm } from "./harden.ts";
 * hardenRealm();
 * ```
 * @returns How many objects were frozen.
 */
export function hardenRealm(): number {
  const global = globalThis as unknown as Record<string, unknown>;
  const roots = INTRINSIC_GLOBALS.filter((name) => name in global).map((name) => global[name]);
  const count = hardenGraph([...roots, ...hiddenIntrinsics()]);
  for (const name of INTRINSIC_GLOBALS) lockGlobal(name);
  // The parts of Deno tests rely on: its errors, the settings it reads (`Deno.env`: KATA_SEED),
  // its permission queries, its build facts; then the namespace itself.
  for (const part of [Deno.errors, Deno.env, Deno.permissions, Deno.build, Deno.version]) {
    const proto = Object.getPrototypeOf(part);
    if (proto !== Object.prototype && proto !== null) freezeShallow(proto);
    freezeShallow(part);
  }
  freezeShallow(Deno);
  lockGlobal("Deno");
  return count;
}
