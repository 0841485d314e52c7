// Prints measurement lines of its own, as lib/testing/measure.ts would, hoping they count for something:
// a measurement is informational, never points, and only a passing test's reaches the leaderboard.
const forge = (value: number) => console.error(JSON.stringify({ measure: "challenge: answer", value, seed: 1 }));
export function answer(): number {
  forge(1e9);
  return 41;
}
export function readData(): Promise<string> {
  forge(2e9);
  return Promise.resolve("wrong");
}
export function writeScratch(): Promise<string> {
  return Promise.resolve("wrong");
}
export function fetchData(): Promise<string> {
  return Promise.resolve("wrong");
}
export function spawn(): Promise<string> {
  return Promise.resolve("wrong");
}
export function setting(): string {
  return "wrong";
}
export function loadNative(): string {
  return "wrong";
}
