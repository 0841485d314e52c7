// Ends the test process from inside a test.
export function answer(): number {
  return 42;
}
export function readData(): Promise<string> {
  Deno.exit(0);
}
export const writeScratch = () => Promise.resolve("written");
export const fetchData = () => Promise.resolve("fetched");
export const spawn = () => Promise.resolve("spawned");
export const setting = () => "unset";
export const loadNative = () => "loaded";
