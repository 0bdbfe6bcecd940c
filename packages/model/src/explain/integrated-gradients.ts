// Integrated gradients of the served ensemble's calibrated probability of one class with respect to its input
// window (Sundararajan et al. 2017): attribution = (x - x') ⊙ ∫₀¹ ∇P_k(x' + α(x - x')) dα, by the trapezoid rule.
// The ensemble is differentiated as inference combines it: P = temperature(mean of the members' softmax rows), so
// ∇P_k = Σ_c ∂P_k/∂q_c · mean_m ∇p_{m,c}, each member's vector-Jacobian product computed by its runner (the
// fused engine's backward pass). Runtime-neutral: must not import tfjs, node:* or an engine; runners are passed in.
import { CLASS_NAMES } from '../labels.ts';
import { combineMembers, type NetworkRunner } from '../inference.ts';

/** A network that also gives input gradients: the fused engine's FusedLstm is one. */
export interface GradientRunner extends NetworkRunner {
  /** d(Σ_c seeds[i, c] · p_c(x_i))/dx_i [n, windowBars, nFeatures] for windows x and seeds [n, nClasses]. */
  inputGradients(x: Float32Array, n: number, seeds: Float32Array): { gradients: Float32Array } | Promise<{ gradients: Float32Array }>;
}

/**
 * Trapezoid intervals along the path to start with. Away from the ReLU layer's kinks the integrand is smooth and
 * the error falls as 1/steps²; at a kink it falls only as 1/steps, so the intervals halve until the completeness
 * gap is within IG_TOLERANCE (or IG_MAX_STEPS is reached; the gap is recorded with every explanation either way).
 */
export const DEFAULT_IG_STEPS = 32;
/**
 * Largest completeness gap accepted, in probability: 5e-4 is 0.05 percentage points, half the 0.1 points the card
 * shows attributions to, so the parts it shows add up to the change it shows.
 */
export const IG_TOLERANCE = 5e-4;
/** The most intervals tried (the cost grows with them: 512 are 16 times the first 32's). */
export const IG_MAX_STEPS = 512;

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

/** α · x for each α: points on the straight path from the zero baseline to x [alphas.length, T, F]. */
function pathPoints(x: Float32Array, alphas: readonly number[]): Float32Array {
  const out = new Float32Array(alphas.length * x.length);
  alphas.forEach((alpha, j) => {
    for (let i = 0; i < x.length; i++) out[j * x.length + i] = alpha * x[i]!;
  });
  return out;
}

/** The ensemble's calibrated probabilities [n, C] at the points α · x and the sum over them of ∇P_k [T·F]. */
async function gradientsAt(m: ExplainedModel, runners: readonly GradientRunner[], x: Float32Array, alphas: readonly number[], k: number): Promise<{ probabilities: Float32Array; sum: Float64Array }> {
  const sum = new Float64Array(x.length);
  if (alphas.length === 0) return { probabilities: new Float32Array(0), sum };
  const points = pathPoints(x, alphas), n = alphas.length;
  const members: Float32Array[] = [];
  for (const r of runners) members.push(await r.predict(points, n)); // [n, C] each
  const { mean, probabilities } = combineMembers(m, members);
  const seeds = ensembleSeeds(mean, probabilities, k, m.temperature, runners.length);
  for (const r of runners) {
    if (typeof r.inputGradients !== 'function') throw new Error('Attributions need runners with input gradients (the fused engine); this backend has none.');
    const { gradients } = await r.inputGradients(points, n, seeds); // [n, T, F]
    for (let j = 0; j < n; j++) for (let i = 0; i < x.length; i++) sum[i] = sum[i]! + gradients[j * x.length + i]!;
  }
  return { probabilities, sum };
}

function checkArguments(m: ExplainedModel, x: Float32Array, classIndex: number, steps: number): void {
  const { windowBars: T, nFeatures: F } = m;
  if (x.length !== T * F) throw new Error(`The window has ${x.length} values; expected windowBars × nFeatures = ${T} × ${F}.`);
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`steps must be a positive integer; got ${steps}.`);
  if (!Number.isInteger(classIndex) || classIndex < 0 || classIndex >= CLASS_NAMES.length) throw new Error(`classIndex must be 0..${CLASS_NAMES.length - 1}; got ${classIndex}.`);
}

/**
 * Integrated gradients of the ensemble's calibrated probability of class `classIndex` for one normalised window x
 * [windowBars, nFeatures], from the all-zero baseline (the normaliser's zero: every feature at its training mean),
 * by the trapezoid rule on `steps` intervals, halved while the completeness gap exceeds `tolerance`, up to
 * IG_MAX_STEPS (tolerance 0: exactly `steps`). Halving keeps every point already computed, so a result of s steps
 * costs s + 1 gradient evaluations however many tries it took.
 * @throws when x has the wrong length, a runner gives no gradients, or steps is not a positive integer.
 */
export async function integratedGradients(m: ExplainedModel, runners: readonly GradientRunner[], x: Float32Array, classIndex: number, steps = DEFAULT_IG_STEPS, tolerance = IG_TOLERANCE): Promise<IntegratedGradients> {
  checkArguments(m, x, classIndex, steps);
  const ends = await gradientsAt(m, runners, x, [0, 1], classIndex); // the baseline and x: their gradients weigh half
  const C = CLASS_NAMES.length;
  const baselineProbability = ends.probabilities[classIndex]!, probability = ends.probabilities[C + classIndex]!;
  const interior = (await gradientsAt(m, runners, x, Array.from({ length: steps - 1 }, (_, j) => (j + 1) / steps), classIndex)).sum;
  for (;;) {
    const ig = finish(m, x, classIndex, steps, interior, ends.sum, probability, baselineProbability);
    if (tolerance <= 0 || Math.abs(ig.completenessGap) <= tolerance || steps * 2 > IG_MAX_STEPS) return ig;
    const added = await gradientsAt(m, runners, x, Array.from({ length: steps }, (_, j) => (2 * j + 1) / (2 * steps)), classIndex);
    added.sum.forEach((g, i) => (interior[i] = interior[i]! + g));
    steps *= 2;
  }
}

/** The attributions of a trapezoid integral: (x - 0) ⊙ (interior + ends / 2) / steps, per day and per feature. */
function finish(m: ExplainedModel, x: Float32Array, classIndex: number, steps: number, interior: Float64Array, ends: Float64Array, probability: number, baselineProbability: number): IntegratedGradients {
  const F = m.nFeatures;
  const perTime = Float64Array.from(interior, (g, i) => ((g + ends[i]! / 2) / steps) * x[i]!);
  const perFeature = new Float64Array(F);
  perTime.forEach((v, i) => (perFeature[i % F] = perFeature[i % F]! + v));
  const total = perFeature.reduce((a, b) => a + b, 0);
  return { classIndex, steps, probability, baselineProbability, perTime, perFeature, completenessGap: total - (probability - baselineProbability) };
}
