// Chronological train / validation / test split of samples ordered by day, with a purge gap between the parts
// because labels look horizonDays ahead and so overlap in time. Must not import anything runtime-specific.

/** Half-open index range [start, end) into the chronologically ordered samples. */
export interface IndexRange {
  start: number;
  end: number;
}

/** The three parts; samples between them are purged. */
export interface SplitRanges {
  train: IndexRange;
  val: IndexRange;
  test: IndexRange;
  gapSamples: number;
}

/** The specification's 70/15/15. */
export const DEFAULT_SPLIT_FRACTIONS = [0.7, 0.15, 0.15] as const;

/**
 * Splits `nSamples` consecutive daily samples chronologically. `gapSamples` samples (at least the horizon) are
 * dropped after the training part and after the validation part, so that no training label (which reads
 * closes up to t + horizon) overlaps the days of a later part's labels. The fractions share what remains.
 * Throws when a part would be empty, naming the counts.
 */
export function chronologicalSplit(
  nSamples: number,
  gapSamples: number,
  fractions: readonly [number, number, number] = DEFAULT_SPLIT_FRACTIONS,
): SplitRanges {
  const total = fractions[0] + fractions[1] + fractions[2];
  if (fractions.some((f) => !(f > 0)) || Math.abs(total - 1) > 1e-9) {
    throw new Error(`Split fractions ${fractions.join('/')} are invalid. Should be three positive numbers summing to 1.`);
  }
  const usable = nSamples - 2 * gapSamples;
  const nTrain = Math.floor(usable * fractions[0]);
  const nVal = Math.floor(usable * fractions[1]);
  const nTest = usable - nTrain - nVal;
  if (nTrain < 1 || nVal < 1 || nTest < 1) {
    throw new Error(
      `Too few samples to split: ${nSamples} samples with a purge gap of ${gapSamples} leave ` +
        `train ${Math.max(nTrain, 0)}, val ${Math.max(nVal, 0)}, test ${Math.max(nTest, 0)}. Provide more history.`,
    );
  }
  const train = { start: 0, end: nTrain };
  const val = { start: nTrain + gapSamples, end: nTrain + gapSamples + nVal };
  const test = { start: val.end + gapSamples, end: nSamples };
  return { train, val, test, gapSamples };
}

/**
 * Split at fixed days instead of fractions: training samples end on or before `trainEndDayMs`, validation
 * samples end on or before `valEndDayMs`, each part starting `gapSamples` samples after the previous one ends.
 * A fixed boundary makes the training part independent of how much later data exists.
 */
export function splitAtDays(
  sampleDayMs: ArrayLike<number>,
  gapSamples: number,
  trainEndDayMs: number,
  valEndDayMs: number,
): SplitRanges {
  const n = sampleDayMs.length;
  let trainEnd = 0;
  while (trainEnd < n && sampleDayMs[trainEnd]! <= trainEndDayMs) trainEnd++;
  const valStart = Math.min(n, trainEnd + gapSamples);
  let valEnd = valStart;
  while (valEnd < n && sampleDayMs[valEnd]! <= valEndDayMs) valEnd++;
  const testStart = Math.min(n, valEnd + gapSamples);
  if (trainEnd < 1 || valEnd - valStart < 1 || n - testStart < 1) {
    throw new Error(
      `Split days leave an empty part: train ${trainEnd}, val ${valEnd - valStart}, test ${n - testStart} samples. ` +
        'Move trainEndDayMs / valEndDayMs inside the data range.',
    );
  }
  return { train: { start: 0, end: trainEnd }, val: { start: valStart, end: valEnd }, test: { start: testStart, end: n }, gapSamples };
}
