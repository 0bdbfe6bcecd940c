// Sliding input windows: the window for day t holds feature rows t - windowBars + 1 .. t. Must not import tfjs.

/**
 * Copies the windows ending at each of `endRows` out of `rows` ([nRows, nFeatures] row-major) into one
 * Float32Array [endRows.length, windowBars, nFeatures]. Throws when a window would start before row
 * `firstValidRow`, naming the day index.
 */
export function makeWindows(
  rows: Float32Array,
  nFeatures: number,
  endRows: ArrayLike<number>,
  windowBars: number,
  firstValidRow = 0,
): Float32Array {
  const size = windowBars * nFeatures;
  const out = new Float32Array(endRows.length * size); // [n, windowBars, nFeatures]
  for (let k = 0; k < endRows.length; k++) {
    const end = endRows[k]!;
    const start = end - windowBars + 1;
    if (start < firstValidRow || (end + 1) * nFeatures > rows.length) {
      throw new Error(
        `Window ending at row ${end} needs rows ${start}..${end}, but only rows ${firstValidRow}..` +
          `${rows.length / nFeatures - 1} are valid.`,
      );
    }
    out.set(rows.subarray(start * nFeatures, (end + 1) * nFeatures), k * size);
  }
  return out;
}
