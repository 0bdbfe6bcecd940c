// Z-score normaliser per feature, fitted on training rows only. Pure over Float32Array. Must not import tfjs.

/** Per-feature mean and standard deviation (population), both of length nFeatures. */
export interface Normalizer {
  mean: number[];
  std: number[];
}

/**
 * Fits mean and std of each column over rows [startRow, endRow) of `rows` ([nRows, nFeatures] row-major).
 * A constant column (placeholder or missing feature; std below 1e-7 of max(1, |mean|)) gets std 1, so it
 * normalises to 0 instead of NaN or rounding noise blown up.
 * Throws on an empty range.
 */
export function fitNormalizer(rows: Float32Array, nFeatures: number, startRow: number, endRow: number): Normalizer {
  const n = endRow - startRow;
  if (n < 1) throw new Error(`fitNormalizer got an empty row range [${startRow}, ${endRow}). Provide training rows.`);
  const mean = new Float64Array(nFeatures);
  const sq = new Float64Array(nFeatures);
  for (let i = startRow; i < endRow; i++) {
    for (let j = 0; j < nFeatures; j++) mean[j]! += rows[i * nFeatures + j]!;
  }
  for (let j = 0; j < nFeatures; j++) mean[j] = mean[j]! / n; // sum first: a constant column gets its exact value
  for (let i = startRow; i < endRow; i++) {
    for (let j = 0; j < nFeatures; j++) sq[j]! += (rows[i * nFeatures + j]! - mean[j]!) ** 2;
  }
  // Relative floor: rounding noise on a constant column must not become a huge z-score.
  const std = Array.from(sq, (v, j) => {
    const sd = Math.sqrt(v / n);
    return sd > 1e-7 * Math.max(1, Math.abs(mean[j]!)) ? sd : 1;
  });
  return { mean: Array.from(mean), std };
}

/** (x - mean) / std for every row: a new Float32Array of the same shape [nRows, nFeatures]. */
export function applyNormalizer(rows: Float32Array, norm: Normalizer): Float32Array {
  const nf = norm.mean.length;
  if (rows.length % nf !== 0) {
    throw new Error(`Rows of length ${rows.length} are not a multiple of the normaliser's ${nf} features.`);
  }
  const out = new Float32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const j = i % nf;
    out[i] = (rows[i]! - norm.mean[j]!) / norm.std[j]!;
  }
  return out;
}
