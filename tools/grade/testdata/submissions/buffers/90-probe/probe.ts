// Allocates typed arrays (outside the JavaScript heap) without bound in readData.
export function answer(): number {
  return 42;
}
export async function readData(): Promise<string> {
  const hoard: Uint8Array[] = [];
  while (true) {
    hoard.push(new Uint8Array(32 * 1024 * 1024).fill(1));
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
export const writeScratch = () => Promise.resolve("written");
export const fetchData = () => Promise.resolve("fetched");
export const spawn = () => Promise.resolve("spawned");
export const setting = () => "unset";
export const loadNative = () => "loaded";
