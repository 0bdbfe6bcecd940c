// Public surface of the evaluation toolkit: walk-forward plan, block bootstrap, temperature scaling, baselines
// (momentum, logistic regression), trading simulation, the specification's targets, permutation importance, the result's shape and its SVG
// plots. Pure; no tfjs, no node:*.
export * from './walk-forward.ts';
export * from './bootstrap.ts';
export * from './temperature.ts';
export * from './momentum.ts';
export * from './logistic.ts';
export * from './trading.ts';
export * from './targets.ts';
export * from './summary.ts';
export * from './result.ts';
export * from './svg-plots.ts';
export * from './versus-best.ts';
export * from './permutation-importance.ts';
