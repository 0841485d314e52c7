import { assert, assertAlmostEquals, assertEquals, assertLess, assertThrows } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import {
  CASE_CONTROL_STUDY,
  caseControlStudy,
  type Dataset,
  generateGenomicsData,
  signalDirection,
  splitRows,
  subset,
} from "./genomics.ts";

function column(data: Dataset, j: number, label?: number): number[] {
  const values: number[] = [];
  for (let i = 0; i < data.samples; i++) {
    if (label === undefined || data.y[i] === label) values.push(data.x[i * data.features + j]);
  }
  return values;
}

const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;

function correlation(a: number[], b: number[]): number {
  const [ma, mb] = [mean(a), mean(b)];
  let ab = 0, aa = 0, bb = 0;
  a.forEach((_, i) => {
    ab += (a[i] - ma) * (b[i] - mb);
    aa += (a[i] - ma) ** 2;
    bb += (b[i] - mb) ** 2;
  });
  return ab / Math.sqrt(aa * bb);
}

describe("genomics_data", () => {
  it("is deterministic per seed, balanced, and keeps its secret sorted", () => {
    const options = { samples: 41, features: 300, informative: 12, seed: 5 };
    const a = generateGenomicsData(options);
    const same = (p: ArrayLike<number>, q: ArrayLike<number>) =>
      p.length === q.length && Array.from(p).every((v, i) => v === q[i]);
    const again = generateGenomicsData(options);
    assert(
      same(again.x, a.x) && same(again.y, a.y) && same(again.informative, a.informative),
      "same options, same data",
    );
    assert(!same(generateGenomicsData({ ...options, seed: 6 }).x, a.x), "another seed, other data");
    assertEquals(a.x.length, 41 * 300);
    const ones = a.y.reduce((s, v) => s + v, 0);
    assertLess(
      Math.abs(41 - 2 * ones),
      2,
      `classes should differ by at most one sample, got ${ones} ones of 41`,
    );
    assert(a.y.every((v) => v === 0 || v === 1), "labels are 0/1");
    assertEquals(a.informative.length, 12);
    assertEquals(a.informative, [...a.informative].sort((p, q) => p - q), "informative indices ascending");
    assertEquals(new Set(a.informative).size, 12, "distinct indices");
    assert(a.signs.every((s) => s === 1 || s === -1), "signs are ±1");
  });

  it("shifts the class means on informative features only, and correlates features within a block", () => {
    const data = generateGenomicsData({
      samples: 4000,
      features: 40,
      informative: 4,
      shift: 2,
      blockSize: 10,
      blockCorrelation: 0.5,
      seed: 3,
    });
    for (let j = 0; j < data.features; j++) {
      const k = data.informative.indexOf(j);
      const expected = k >= 0 ? 2 * data.signs[k] : 0;
      const difference = mean(column(data, j, 1)) - mean(column(data, j, 0));
      assertAlmostEquals(difference, expected, 0.15, `class-mean difference of feature ${j}`);
    }
    const noise = [...Array(data.features).keys()].filter((j) => !data.informative.includes(j));
    const sameBlock = noise.find((j) => j !== noise[0] && Math.floor(j / 10) === Math.floor(noise[0] / 10))!;
    const otherBlock = noise.find((j) => Math.floor(j / 10) !== Math.floor(noise[0] / 10))!;
    assertAlmostEquals(
      correlation(column(data, noise[0]), column(data, sameBlock)),
      0.5,
      0.05,
      "within a block",
    );
    assertAlmostEquals(
      correlation(column(data, noise[0]), column(data, otherBlock)),
      0,
      0.05,
      "across blocks",
    );
    assertAlmostEquals(mean(column(data, noise[0]).map((v) => v * v)), 1, 0.1, "unit variance");
  });

  it("rejects impossible options with the name of the option", () => {
    const ok = { samples: 10, features: 5, informative: 2, seed: 1 };
    assertThrows(() => generateGenomicsData({ ...ok, samples: 1 }), RangeError, "samples");
    assertThrows(() => generateGenomicsData({ ...ok, features: 0 }), RangeError, "features");
    assertThrows(() => generateGenomicsData({ ...ok, informative: 6 }), RangeError, "informative");
    assertThrows(() => generateGenomicsData({ ...ok, blockSize: 0 }), RangeError, "blockSize");
    assertThrows(() => generateGenomicsData({ ...ok, blockCorrelation: 1 }), RangeError, "blockCorrelation");
  });

  it("subset and splitRows copy the rows they select", () => {
    const data = generateGenomicsData({ samples: 10, features: 3, informative: 1, seed: 2 });
    const picked = subset(data, [4, 1]);
    assertEquals(Array.from(picked.x), [...data.x.slice(12, 15), ...data.x.slice(3, 6)]);
    assertEquals(Array.from(picked.y), [data.y[4], data.y[1]]);
    assert(!("informative" in picked), "a subset carries no secret");
    picked.x[0] = 99;
    assert(data.x[12] !== 99, "a subset is a copy");
    assertThrows(() => subset(data, [10]), RangeError, "row index 10");
    const [a, b] = splitRows(data, [6, 3]);
    assertEquals(Array.from(a.x), Array.from(data.x.slice(0, 18)));
    assertEquals(Array.from(b.y), Array.from(data.y.slice(6, 9)));
    assertThrows(() => splitRows(data, [6, 5]), RangeError, "at most 10");
  });

  it("signalDirection is the unit vector of the class-mean shift", () => {
    const data = generateGenomicsData({ samples: 4, features: 50, informative: 5, seed: 9 });
    const u = signalDirection(data);
    assertAlmostEquals(u.reduce((s, v) => s + v * v, 0), 1, 1e-12);
    data.informative.forEach((j, k) => assertAlmostEquals(u[j], data.signs[k] / Math.sqrt(5), 1e-12));
    assertEquals(u.filter((v) => v !== 0).length, 5);
  });

  it("caseControlStudy cuts the default study into 70 / 30 / 40 rows", () => {
    const { data, train, validation, test } = caseControlStudy(4, { features: 100 });
    assertEquals([train.samples, validation.samples, test.samples], [70, 30, 40]);
    assertEquals(train.features, 100);
    assertEquals(data.informative.length, CASE_CONTROL_STUDY.informative);
    assertEquals(Array.from(test.y), Array.from(data.y.slice(100)), "the test rows are the last 40");
  });
});
