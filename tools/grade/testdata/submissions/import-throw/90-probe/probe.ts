// Type-checks, but throws as soon as it is loaded.
export function answer(): number {
  return 42;
}
export const readData = () => Promise.resolve("data");
export const writeScratch = () => Promise.resolve("written");
export const fetchData = () => Promise.resolve("fetched");
export const spawn = () => Promise.resolve("spawned");
export const setting = () => "unset";
export const loadNative = () => "loaded";
throw new Error("the model file is missing");
