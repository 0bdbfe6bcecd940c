// The training run's calibration step: fit the softmax temperature on the validation part and apply it to the
// validation and test probabilities, reporting expected calibration error before and after.
import { applyTemperature, computeMetrics, fitTemperature } from '@coinsphere/model/core';

/** The fitted temperature, the calibrated probabilities ([n, 3] each) and ECE (10 bins) before and after. */
export interface RunCalibration {
  temperature: number;
  valProbs: Float32Array;
  testProbs: Float32Array;
  ece: { valBefore: number; valAfter: number; testBefore: number; testAfter: number };
}

/** Fits T on the validation labels and raw probabilities and applies it to both parts (a PreparedDataset fits `ds`). */
export function calibrateOnValidation(valRaw: Float32Array, testRaw: Float32Array, ds: { val: { y: ArrayLike<number> }; test: { y: ArrayLike<number> } }): RunCalibration {
  const { temperature } = fitTemperature(valRaw, ds.val.y);
  const valProbs = applyTemperature(valRaw, 3, temperature);
  const testProbs = applyTemperature(testRaw, 3, temperature);
  return {
    temperature, valProbs, testProbs,
    ece: {
      valBefore: computeMetrics(valRaw, ds.val.y).ece,
      valAfter: computeMetrics(valProbs, ds.val.y).ece,
      testBefore: computeMetrics(testRaw, ds.test.y).ece,
      testAfter: computeMetrics(testProbs, ds.test.y).ece,
    },
  };
}
