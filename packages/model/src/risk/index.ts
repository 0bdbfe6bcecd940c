// The Degen Risk Score module: range-based variance, the pooled walk-forward HAR, drawdown probabilities from a
// fitted Student-t and calibrated on past outcomes, liquidity, size and age, the score, and its evaluation.
// Pure; must not import tfjs or node:*.
export * from './risk-reason.ts';
export * from './risk-options.ts';
export * from './range-variance.ts';
export * from './rolling.ts';
export * from './asset-days.ts';
export * from './har.ts';
export * from './losses.ts';
export * from './student-t.ts';
export * from './drawdown.ts';
export * from './platt.ts';
export * from './binary-calibration.ts';
export * from './liquidity.ts';
export * from './cross-section.ts';
export * from './size-age.ts';
export * from './rank-correlation.ts';
export * from './forward-outcomes.ts';
export * from './asset-inputs.ts';
export * from './har-walk-forward.ts';
export * from './drawdown-walk-forward.ts';
export * from './risk-score.ts';
export * from './risk-panel.ts';
export * from './assess-risk.ts';
export * from './risk-model.ts';
export * from './evaluate-risk.ts';
