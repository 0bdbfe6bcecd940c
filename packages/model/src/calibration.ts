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
