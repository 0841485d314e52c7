import type { Dataset, Features, SvmSettings } from "./contract.ts";
import { trainSvm } from "@lib/models/svm.ts";

export type { SvmSettings } from "./contract.ts";

function rows(data: Features): Float32Array[] {
  return Array.from(
    { length: data.samples },
    (_, i) => data.x.subarray(i * data.features, (i + 1) * data.features),
  );
}

export async function svmPredict(train: Dataset, test: Features, settings: SvmSettings): Promise<number[]> {
  if (test.features !== train.features) {
    throw new RangeError(`svmPredict: test has ${test.features} features, train has ${train.features}`);
  }
  const model = await trainSvm(rows(train), Array.from(train.y), { kernel: "rbf", ...settings });
  try {
    return model.predict(rows(test));
  } finally {
    model.free();
  }
}

export async function svmAccuracy(train: Dataset, val: Dataset, settings: SvmSettings): Promise<number> {
  const predicted = await svmPredict(train, val, settings);
  return predicted.filter((p, i) => p === val.y[i]).length / val.samples;
}
