// Parses, but does not type-check.
export function answer(): number {
  return "forty-two";
}
export const readData = () => Promise.resolve("data");
export const writeScratch = () => Promise.resolve("written");
export const fetchData = () => Promise.resolve("fetched");
export const spawn = () => Promise.resolve("spawned");
export const setting = () => "unset";
export const loadNative = () => "loaded";
