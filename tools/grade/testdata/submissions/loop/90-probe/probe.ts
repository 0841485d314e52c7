// Never returns from readData.
export function answer(): number {
  return 42;
}
export function readData(): Promise<string> {
  while (true) {
    // spin
  }
}
export const writeScratch = () => Promise.resolve("written");
export const fetchData = () => Promise.resolve("fetched");
export const spawn = () => Promise.resolve("spawned");
export const setting = () => "unset";
export const loadNative = () => "loaded";
