// Does not parse.
export function answer(): number {
  return 42
export const readData = () => Promise.resolve("data");
