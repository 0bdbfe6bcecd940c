// Public surface of @coinsphere/model: runtime-neutral features, labels, windows, model and artifact code.
export * from './candle.ts';
export * from './lstm-model.ts';
export * from './init-weights.ts';
export * from './random.ts';
