// "Why this call" (`@coinsphere/model/explain`): integrated gradients of the ensemble's calibrated probability,
// the attributions of one prediction and their words. Runtime-neutral; runners with input gradients are passed in.
export * from './integrated-gradients.ts';
export * from './attributions.ts';
export * from './feature-phrases.ts';
