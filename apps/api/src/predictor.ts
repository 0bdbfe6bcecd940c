// The Predictor that answers POST /v1/predict. Apart from the route so that AppDeps (routes/context.ts) can name it
// without importing the route, which imports its context (a cycle). Runtime-neutral: must not import node:*.
import type { ModelPrediction } from '@coinsphere/model/core';
import type { PredictRequest } from '@coinsphere/serving/contract';

/** Runs the served model on a validated request (the one inference path). Throws ApiError(404) when no model
 *  serves symbol/horizon and ApiError(400) when the window is too short for the model. */
export type Predictor = (request: PredictRequest) => Promise<ModelPrediction>;
