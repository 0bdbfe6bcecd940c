// Running-sum windows over calendar-indexed Float64Arrays, where NaN marks a missing day: trailing means that
// tolerate a few missing days (averaging the days present), forward means that tolerate none, trailing counts of
// flagged days, and an EWMA that holds over missing days. O(1) per day. Pure; must not import tfjs or node:*.

/**
 * out[i] = mean of the finite values among values[i-window+1 .. i]; NaN when the window starts before 0 or more
 * than `maxMissing` of its days are NaN (default 0: any missing day).
 */
export function trailingMean(values: ArrayLike<number>, window: number, maxMissing = 0): Float64Array {
  const out = new Float64Array(values.length).fill(Number.NaN);
  let sum = 0;
  let missing = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) sum += v;
    else missing++;
    if (i >= window) {
      const old = values[i - window]!;
      if (Number.isFinite(old)) sum -= old;
      else missing--;
    }
    if (i >= window - 1 && missing <= maxMissing) out[i] = sum / (window - missing);
  }
  return out;
}

/** out[i] = mean(values[i+1 .. i+h]): the next h days' mean, NaN when any is missing or past the end. */
export function forwardMean(values: ArrayLike<number>, h: number): Float64Array {
  const trailing = trailingMean(values, h);
  const out = new Float64Array(values.length).fill(Number.NaN);
  for (let i = 0; i + h < values.length; i++) out[i] = trailing[i + h]!;
  return out;
}

/** out[i] = how many of flags[i-window+1 .. i] are non-zero (window clipped at 0). */
export function trailingCount(flags: ArrayLike<number>, window: number): Int32Array {
  const out = new Int32Array(flags.length);
  let count = 0;
  for (let i = 0; i < flags.length; i++) {
    if (flags[i]) count++;
    if (i >= window && flags[i - window]) count--;
    out[i] = count;
  }
  return out;
}

/**
 * Exponentially weighted mean: s_i = λ s_(i-1) + (1 − λ) v_i over the finite values (a missing day leaves s as it
 * is and has no output), started at the first value and NaN until `burnInDays` values have entered.
 */
export function ewmaMean(values: ArrayLike<number>, lambda: number, burnInDays: number): Float64Array {
  const out = new Float64Array(values.length).fill(Number.NaN);
  let s = 0;
  let seen = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    s = seen === 0 ? v : lambda * s + (1 - lambda) * v;
    seen++;
    if (seen >= burnInDays) out[i] = s;
  }
  return out;
}
