// Allocates JavaScript arrays without bound in readData.
export function answer(): number {
  return 42;
}
export function readData(): Promise<string> {
  const hoard: number[][] = [];
  while (true) hoard.push(new Array(1 << 17).fill(hoard.length));
}
export const writeScratch = () => Promise.resolve("written");
export const fetchData = () => Promise.resolve("fetched");
export const spawn = () => Promise.resolve("spawned");
export const setting = () => "unset";
export const loadNative = () => "loaded";
