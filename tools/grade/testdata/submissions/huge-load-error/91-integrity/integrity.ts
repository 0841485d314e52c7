// @ts-nocheck: hostile on purpose. Throws a 100 MB error while its module loads.
export const mean = (..._args) => 0;
export const squares = (..._args) => [];
export const later = (..._args) => Promise.resolve(0);
export const checked = (x) => x;
export const leftovers = (..._args) => Promise.resolve("stub");
export const lookup = (..._args) => Promise.resolve("stub");
throw new Error("y".repeat(100_000_000));
