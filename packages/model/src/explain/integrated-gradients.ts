// Integrated gradients of the served ensemble's calibrated probability of one class with respect to its input
// window (Sundararajan et al. 2017): attribution = (x - x') ⊙ ∫₀¹ ∇P_k(x' + α(x - x')) dα, by the midpoint rule.
// The ensemble is differentiated as inference combines it: P = temperature(mean of the members' softmax rows), so
// ∇P_k = Σ_c ∂P_k/∂q_c · mean_m ∇p_{m,c}, each member's vector-Jacobian product computed by its runner (the
// fused engine's backward pass). Runtime-neutral: must not import tfjs, node:* or an engine; runners are passed in.
import { applyTemperature } from '../calibration.ts';
import { CLASS_NAMES } from '../labels.ts';
import type { NetworkRunner } from '../inference.ts';

/** A network that also gives input gradients: the fused engine's FusedLstm is one. */
export interface GradientRunner extends NetworkRunner {
  /** d(Σ_c seeds[i, c] · p_c(x_i))/dx_i [n, windowBars, nFeatures] for windows x and seeds [n, nClasses]. */
  inputGradients(x: Float32Array, n: number, seeds: Float32Array): { gradients: Float32Array } | Promise<{ gradients: Float32Array }>;
}

/**
 * Midpoint steps along the path to start with. Away from the ReLU layer's kinks the integrand is smooth and the
 * midpoint rule's error falls as 1/steps²; a network can still turn sharply somewhere along the path, so the
 * steps double until the completeness gap is within IG_TOLERANCE (or IG_MAX_STEPS is reached; the gap is recorded
 * with every explanation either way). 64 steps of the served model are 5 × 66 windows of 10 days.
 */
export const DEFAULT_IG_STEPS = 64;
/**
 * Largest completeness gap accepted before doubling the steps, in probability: 1e-4 is 0.01 percentage points,
 * a tenth of the 0.1 points the attributions are shown to.
 */
export const IG_TOLERANCE = 1e-4;
/** The most steps tried (the cost doubles with each try: 1024 steps are about 30 times the first 64's). */
export const IG_MAX_STEPS = 1024;

/** What integrated gradients found for one window and one class. */
export interface IntegratedGradients {
  classIndex: number;
  steps: number;
  /** The ensemble's calibrated probability of the class at the window and at the baseline. */
  probability: number;
  baselineProbability: number;
  /** Attribution per day and feature [windowBars, nFeatures], in probability units. */
  perTime: Float64Array;
  /** Summed over the window's days [nFeatures]. */
  perFeature: Float64Array;
  /** Σ attributions - (probability - baselineProbability): the quadrature's error (completeness holds at 0). */
  completenessGap: number;
}

/** The window's shape, the ensemble's temperature and its members, as inference reads them. */
export interface ExplainedModel {
  windowBars: number;
  nFeatures: number;
  temperature: number;
}

/**
 * ∂P_k/∂q_c of P = temperature(q) for every row, divided by the member count: the seeds of each member's
 * vector-Jacobian product. P_c = q_c^a / Σ_j q_j^a with a = 1/T gives ∂P_k/∂q_c = a P_k (δ_kc - P_c) / q_c.
 */
function ensembleSeeds(mean: Float32Array, probabilities: Float32Array, k: number, temperature: number, members: number): Float32Array {
  const C = CLASS_NAMES.length, a = 1 / temperature;
  const seeds = new Float32Array(mean.length); // [n, C]
  for (let i = 0; i < mean.length; i += C) {
    const pk = probabilities[i + k]!;
    for (let c = 0; c < C; c++) seeds[i + c] = (a * pk * ((c === k ? 1 : 0) - probabilities[i + c]!)) / Math.max(mean[i + c]!, 1e-12) / members;
  }
  return seeds;
}

/** The m midpoints of the straight path from the zero baseline to x, then x and the baseline: [m + 2, T, F]. */
function pathPoints(x: Float32Array, steps: number): Float32Array {
  const step = x.length;
  const out = new Float32Array((steps + 2) * step);
  for (let j = 0; j < steps; j++) {
    const alpha = (j + 0.5) / steps;
    for (let i = 0; i < step; i++) out[j * step + i] = alpha * x[i]!;
  }
  out.set(x, steps * step); // row m: x itself; row m + 1 stays the zero baseline
  return out;
}

/**
 * Integrated gradients of the ensemble's calibrated probability of class `classIndex` for one normalised window x
 * [windowBars, nFeatures], from the all-zero baseline (the normaliser's zero: every feature at its training mean),
 * starting at `steps` midpoints and doubling them while the completeness gap exceeds `tolerance`, up to IG_MAX_STEPS
 * (tolerance 0: exactly `steps`, once).
 * @throws when x has the wrong length, a runner gives no gradients, or steps is not a positive integer.
 */
export async function integratedGradients(m: ExplainedModel, runners: readonly GradientRunner[], x: Float32Array, classIndex: number, steps = DEFAULT_IG_STEPS, tolerance = IG_TOLERANCE): Promise<IntegratedGradients> {
  let ig = await integrateOnce(m, runners, x, classIndex, steps);
  while (tolerance > 0 && Math.abs(ig.completenessGap) > tolerance && ig.steps * 2 <= IG_MAX_STEPS) ig = await integrateOnce(m, runners, x, classIndex, ig.steps * 2);
  return ig;
}

/** One midpoint-rule integral of `steps` points. */
async function integrateOnce(m: ExplainedModel, runners: readonly GradientRunner[], x: Float32Array, classIndex: number, steps: number): Promise<IntegratedGradients> {
  const { windowBars: T, nFeatures: F } = m;
  if (x.length !== T * F) throw new Error(`The window has ${x.length} values; expected windowBars × nFeatures = ${T} × ${F}.`);
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`steps must be a positive integer; got ${steps}.`);
  if (!Number.isInteger(classIndex) || classIndex < 0 || classIndex >= CLASS_NAMES.length) throw new Error(`classIndex must be 0..${CLASS_NAMES.length - 1}; got ${classIndex}.`);
  const points = pathPoints(x, steps);
  const n = steps + 2;
  const members: Float32Array[] = [];
  for (const r of runners) members.push(await r.predict(points, n)); // [n, C] each
  const { mean, probabilities } = combineMembers(m, members);
  const seeds = ensembleSeeds(mean, probabilities, classIndex, m.temperature, runners.length);
  const avg = new Float64Array(T * F); // mean over the midpoints of ∇P_k
  for (const r of runners) {
    if (typeof r.inputGradients !== 'function') throw new Error('Attributions need runners with input gradients (the fused engine); this backend has none.');
    const { gradients } = await r.inputGradients(points, n, seeds); // [n, T, F]
    for (let j = 0; j < steps; j++) for (let i = 0; i < T * F; i++) avg[i] = avg[i]! + gradients[j * T * F + i]! / steps;
  }
  const perTime = Float64Array.from(avg, (g, i) => g * x[i]!); // (x - 0) ⊙ mean gradient
  const perFeature = new Float64Array(F);
  perTime.forEach((v, i) => (perFeature[i % F] = perFeature[i % F]! + v));
  const C = CLASS_NAMES.length;
  const probability = probabilities[steps * C + classIndex]!, baselineProbability = probabilities[(steps + 1) * C + classIndex]!;
  const total = perFeature.reduce((a, b) => a + b, 0);
  return { classIndex, steps, probability, baselineProbability, perTime, perFeature, completenessGap: total - (probability - baselineProbability) };
}

/**
 * How the ensemble combines its members' softmax rows (each [n, 3]): their mean q, then the artifact's temperature
 * P, as inference's ensembleProbabilities does; here with q kept, which the gradient of P needs.
 */
export function combineMembers(m: Pick<ExplainedModel, 'temperature'>, members: readonly Float32Array[]): { mean: Float32Array; probabilities: Float32Array } {
  const mean = new Float32Array(members[0]!.length); // [n, 3]
  for (const p of members) for (let i = 0; i < mean.length; i++) mean[i] = mean[i]! + p[i]! / members.length;
  return { mean, probabilities: applyTemperature(mean, CLASS_NAMES.length, m.temperature) };
}
