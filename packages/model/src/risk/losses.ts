// Losses of a variance forecast against the realised variance: QLIKE (robust to noise in the realised proxy and
// harsher on under-forecasts, Patton 2011) and squared error. Pure; must not import tfjs or node:*.

/** QLIKE(rv, f) = rv/f − ln(rv/f) − 1 ≥ 0, zero only at f = rv. Both in the same variance units, f > 0. */
export function qlikeLoss(realised: number, forecast: number): number {
  const ratio = realised / forecast;
  return ratio - Math.log(ratio) - 1;
}

/** (rv − f)^2, in squared variance units (dominated by the wildest days). */
export function squaredErrorLoss(realised: number, forecast: number): number {
  return (realised - forecast) ** 2;
}
