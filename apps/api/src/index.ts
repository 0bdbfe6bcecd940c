// Public surface of @coinsphere/api for Node callers (the trainer's serve and publish commands). The Worker
// does not import this file: wrangler bundles worker.ts directly.
export { createApp, DEFAULT_API_CONFIG, type ApiConfig, type AppDeps } from './app.ts';
export { parseApiEnv, processEnv, type ApiEnv } from './env.ts';
export { startNodeServer, createNodeCache, type NodeServer, type NodeServerOptions } from './node.ts';
export { ApiError } from './errors.ts';
export { PredictionsService } from './predictions-service.ts';
export { DrizzleStore } from './node/drizzle-store.ts';
export { FsArtifacts } from './node/fs-artifacts.ts';
export { createFusedPredictor, newestModel, storePredictorDeps, type FusedPredictor, type FusedPredictorDeps } from './fused-predictor.ts';
export { MemoryCache } from './cache/memory-cache.ts';
export { predictionKey, type ServingCache } from './cache/serving-cache.ts';
export { PredictionSchema, PublishBatchSchema, type Prediction } from './schemas.ts';
export type { Predictor, PredictRequest } from './routes/predict.ts';
