// Temperature scaling applied to predicted probabilities, shared by every runtime (Node, browser, Worker).
// Must not import anything.

/**
 * Temperature scaling of probability rows ([n, k], in place on a copy): p_i^(1/T) / sum_j p_j^(1/T), which is
 * softmax(logits / T) for a softmax output. T > 1 softens, T < 1 sharpens, T = 1 changes nothing.
 */
export function applyTemperature(probs: Float32Array, k: number, temperature: number): Float32Array {
  if (!(temperature > 0)) throw new Error(`Temperature ${temperature} must be positive.`);
  if (temperature === 1) return probs.slice();
  const out = new Float32Array(probs.length);
  for (let i = 0; i < probs.length; i += k) {
    let sum = 0;
    for (let c = 0; c < k; c++) sum += (out[i + c] = Math.max(probs[i + c]!, 1e-12) ** (1 / temperature));
    for (let c = 0; c < k; c++) out[i + c] = out[i + c]! / sum;
  }
  return out;
}

/** The share of each of `k` classes among `labels` (uniform when there are none). */
export function classShares(labels: ArrayLike<number>, k = 3): number[] {
  const counts = new Array<number>(k).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]!]! += 1;
  return labels.length ? counts.map((c) => c / labels.length) : counts.map(() => 1 / k);
}

/**
 * The class shares of each group's (asset's) rows within `days` days of that group's last row, pooled over the
 * groups: with a label band fitted on each asset's trailing `days`, the shares that band gives on recent rows.
 */
export function trailingClassShares(labels: ArrayLike<number>, group: ArrayLike<number>, dayMs: ArrayLike<number>, days: number, k = 3): number[] {
  const lastDay = new Map<number, number>();
  for (let i = 0; i < labels.length; i++) lastDay.set(group[i]!, Math.max(lastDay.get(group[i]!) ?? -Infinity, dayMs[i]!));
  const recent: number[] = [];
  for (let i = 0; i < labels.length; i++) if (dayMs[i]! >= lastDay.get(group[i]!)! - days * 86_400_000) recent.push(labels[i]!);
  return classShares(recent, k);
}

/**
 * Prior-shift correction of probability rows ([n, k], a copy): p_c · to_c / from_c, renormalised, which adds
 * log(to_c / from_c) to each log-probability. A model trained where the classes had shares `from` then states
 * its probabilities for a period whose shares are `to` (Saerens et al. 2002). Shares must be positive.
 */
export function shiftPriors(probs: Float32Array, k: number, from: readonly number[], to: readonly number[]): Float32Array {
  if (from.length !== k || to.length !== k) throw new Error(`shiftPriors needs ${k} shares in 'from' and 'to', got ${from.length} and ${to.length}.`);
  const ratio = from.map((f, c) => {
    if (!(f > 0) || !(to[c]! > 0)) throw new Error(`shiftPriors: class ${c}'s shares must be positive (from ${f}, to ${to[c]}); smooth empty classes first.`);
    return to[c]! / f;
  });
  const out = new Float32Array(probs.length);
  for (let i = 0; i < probs.length; i += k) {
    let sum = 0;
    for (let c = 0; c < k; c++) sum += (out[i + c] = Math.max(probs[i + c]!, 1e-12) * ratio[c]!);
    for (let c = 0; c < k; c++) out[i + c] = out[i + c]! / sum;
  }
  return out;
}
