// Temperature scaling (Guo et al. 2017): one scalar T fitted on validation rows by minimising the negative log
// likelihood of softmax(logits / T). It keeps every argmax, so accuracy is unchanged; only confidence moves.
// Pure; no tfjs, no node:*.
import { applyTemperature } from '../calibration.ts';

/** The fitted temperature and the validation NLL before and after. */
export interface TemperatureFit {
  temperature: number;
  nllBefore: number;
  nllAfter: number;
}

/** Mean -ln p(true class) of probability rows [n, k], clipped at 1e-7. */
export function meanNll(probs: ArrayLike<number>, labels: ArrayLike<number>, k = 3): number {
  let s = 0;
  for (let i = 0; i < labels.length; i++) s -= Math.log(Math.max(1e-7, probs[i * k + labels[i]!]!));
  return s / labels.length;
}

/**
 * Fits T in [0.05, 20] by golden-section search on ln T (the NLL is unimodal in T for fixed logits).
 * `probs` [n, k] are the model's softmax outputs on validation rows. Throws on no rows.
 */
export function fitTemperature(probs: Float32Array, labels: ArrayLike<number>, k = 3): TemperatureFit {
  if (labels.length === 0 || probs.length !== labels.length * k) {
    throw new Error(`fitTemperature needs [n, ${k}] probabilities for n > 0 labels; got ${probs.length} values for ${labels.length} labels.`);
  }
  const nll = (logT: number) => meanNll(applyTemperature(probs, k, Math.exp(logT)), labels, k);
  const phi = (Math.sqrt(5) - 1) / 2;
  let a = Math.log(0.05);
  let b = Math.log(20);
  let c = b - phi * (b - a);
  let d = a + phi * (b - a);
  let fc = nll(c);
  let fd = nll(d);
  for (let it = 0; it < 60 && b - a > 1e-5; it++) {
    if (fc < fd) {
      b = d; d = c; fd = fc; c = b - phi * (b - a); fc = nll(c);
    } else {
      a = c; c = d; fc = fd; d = a + phi * (b - a); fd = nll(d);
    }
  }
  const nllBefore = meanNll(probs, labels, k);
  const temperature = Math.exp((a + b) / 2);
  const nllAfter = nll(Math.log(temperature));
  // Never return a T that is worse than leaving the model alone (flat NLL, tiny validation sets).
  return nllAfter <= nllBefore ? { temperature, nllBefore, nllAfter } : { temperature: 1, nllBefore, nllAfter: nllBefore };
}
