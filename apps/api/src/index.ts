// Public surface of @coinsphere/api for Node callers (the trainer's serve command, tests that read what was
// published through the app): the app, its environment and the Node server. The store, the serving cache and
// publishing are @coinsphere/serving's; the wire schemas are @coinsphere/serving/contract's. The Worker does not
// import this file: wrangler bundles worker.ts directly.
export { createApp, DEFAULT_API_CONFIG, type ApiConfig, type AppDeps } from './app.ts';
export { parseApiEnv, processEnv, type ApiEnv } from './env.ts';
export { startNodeServer, type NodeServer, type NodeServerOptions } from './node.ts';
export { ApiError } from './errors.ts';
export type { Predictor } from './routes/predict.ts';
