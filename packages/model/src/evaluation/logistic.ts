// Multinomial logistic regression (softmax regression with L2), the linear baseline on the same 20 features the
// LSTM sees: the last day of each normalised window. Full-batch gradient descent with Nesterov momentum on a
// convex loss; small enough to read top to bottom. Pure over Float32Array; no tfjs, no node:*.

/** A fitted softmax regression: weights [d, k] row-major and biases [k]. */
export interface LogisticModel {
  nFeatures: number;
  nClasses: number;
  weights: Float64Array;
  bias: Float64Array;
}

/** Options of fitLogistic. */
export interface LogisticOptions {
  /** L2 penalty on the weights (not the bias), per sample: loss = mean NLL + l2/2 * |W|^2. Default 1e-2. */
  l2?: number;
  /** Gradient steps (default 500). */
  iterations?: number;
  /** Step size (default 0.1: safe for z-scored inputs, whose loss curvature is at most about 0.5 × d). */
  learningRate?: number;
}

/** The last row of each window: x [n, windowBars, d] → [n, d]. */
export function lastRows(x: Float32Array, n: number, windowBars: number, d: number): Float32Array {
  const out = new Float32Array(n * d); // [n, d]
  for (let i = 0; i < n; i++) out.set(x.subarray((i * windowBars + windowBars - 1) * d, (i * windowBars + windowBars) * d), i * d);
  return out;
}

function softmaxRows(model: LogisticModel, x: Float32Array, n: number, w: Float64Array, b: Float64Array): Float64Array {
  const { nFeatures: d, nClasses: k } = model;
  const p = new Float64Array(n * k); // [n, k]
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) {
      let z = b[c]!;
      for (let j = 0; j < d; j++) z += x[i * d + j]! * w[j * k + c]!;
      p[i * k + c] = z;
      if (z > max) max = z;
    }
    let sum = 0;
    for (let c = 0; c < k; c++) sum += p[i * k + c] = Math.exp(p[i * k + c]! - max);
    for (let c = 0; c < k; c++) p[i * k + c] = p[i * k + c]! / sum;
  }
  return p;
}

/** Fits on x [n, d] and labels [n] (0..k-1). Non-finite inputs count as 0 (the normaliser's mean). */
export function fitLogistic(x: Float32Array, y: ArrayLike<number>, d: number, k = 3, opts: LogisticOptions = {}): LogisticModel {
  const n = y.length;
  if (n === 0 || x.length !== n * d) throw new Error(`fitLogistic needs [n, ${d}] inputs for n > 0 labels; got ${x.length} values for ${n} labels.`);
  const xs = x.map((v) => (Number.isFinite(v) ? v : 0));
  const l2 = opts.l2 ?? 1e-2;
  const lr = opts.learningRate ?? 0.1;
  const model: LogisticModel = { nFeatures: d, nClasses: k, weights: new Float64Array(d * k), bias: new Float64Array(k) };
  const vw = new Float64Array(d * k);
  const vb = new Float64Array(k);
  const mu = 0.9;
  for (let it = 0; it < (opts.iterations ?? 500); it++) {
    // Nesterov: gradient at the look-ahead point.
    const w = model.weights.map((v, i) => v + mu * vw[i]!);
    const b = model.bias.map((v, i) => v + mu * vb[i]!);
    const p = softmaxRows(model, xs, n, w, b);
    const gw = w.map((v) => l2 * v);
    const gb = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < k; c++) {
        const g = (p[i * k + c]! - (y[i] === c ? 1 : 0)) / n;
        gb[c] = gb[c]! + g;
        for (let j = 0; j < d; j++) gw[j * k + c] = gw[j * k + c]! + g * xs[i * d + j]!;
      }
    }
    for (let i = 0; i < d * k; i++) model.weights[i] = model.weights[i]! + (vw[i] = mu * vw[i]! - lr * gw[i]!);
    for (let c = 0; c < k; c++) model.bias[c] = model.bias[c]! + (vb[c] = mu * vb[c]! - lr * gb[c]!);
  }
  return model;
}

/** Class probabilities [n, k] for x [n, d]. */
export function predictLogistic(model: LogisticModel, x: Float32Array, n: number): Float32Array {
  const xs = x.map((v) => (Number.isFinite(v) ? v : 0));
  return Float32Array.from(softmaxRows(model, xs, n, model.weights, model.bias));
}
