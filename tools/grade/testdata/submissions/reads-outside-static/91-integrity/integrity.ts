// @ts-nocheck: hostile on purpose.
// A stub that imports /etc/passwd statically: the parse error would quote the file.
import passwd from "/etc/passwd" with { type: "json" };

export const lookup = (..._args) => Promise.resolve(String(passwd));
export const mean = (..._args) => 0;
export const squares = (..._args) => [];
export const later = (..._args) => Promise.resolve(0);
export const checked = (x) => x;
export const leftovers = (..._args) => Promise.resolve("stub");
