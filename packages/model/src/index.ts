// Public surface of @coinsphere/model: the tfjs-free core (also importable alone as '@coinsphere/model/core')
// plus the tfjs LayersModel, its training loop, artifact save/load and prediction.
export * from './core.ts';
export * from './lstm-model.ts';
export * from './train-tfjs.ts';
export * from './predict.ts';
export * from './artifact.ts';
