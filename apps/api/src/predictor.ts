// The Predictor that answers POST /v1/predict. Apart from the route so that AppDeps (routes/context.ts) can name it
// without importing the route, which imports its context (a cycle). Runtime-neutral: must not import node:*.
import type { ModelPrediction } from '@coinsphere/model/core';
import type { PredictionAttributions } from '@coinsphere/model/explain';
import type { PredictRequest } from '@coinsphere/serving/contract';

/** What the predictor answers: the prediction, with its attributions when the request asked for them (explain). */
export type PredictorResult = ModelPrediction & { attributions?: PredictionAttributions };

/** Runs the served model on a validated request (the one inference path). Throws ApiError(404) when no model
 *  serves symbol/horizon, ApiError(400) when the window is too short for the model and ApiError(503) with
 *  `Retry-After` when it is predicting at capacity. */
export type Predictor = ((request: PredictRequest) => Promise<PredictorResult>) & {
  /** Throws ApiError(503) with `Retry-After` when a request now would be shed; called before the body is read,
   *  so a full queue costs the server no parsing. Absent: never sheds. */
  admit?(): void;
  /** Parses, validates and predicts a raw JSON body elsewhere than on the request loop (the Node entry's threads),
   *  answering the same 400s as the route's validator. Absent: the route validates and calls the predictor. */
  fromBody?(text: string): Promise<PredictorResult>;
};
