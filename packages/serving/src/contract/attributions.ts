// "Why this call" on the wire (issue #18): the features' attributions of one prediction, as publish stores them
// with it and the prediction reads (Node and Worker) serve them; @coinsphere/model/explain computes them (its
// PredictionAttributions). Browser-safe: plain zod and @coinsphere/model/core only; must not import node:* or hono.
import { CLASS_NAMES } from '@coinsphere/model/core';
import { z } from 'zod';

const finite = z.number().refine(Number.isFinite, 'Expected a finite number.');

/** One feature's share of the call. */
export const FeatureAttributionSchema = z.object({
  name: z.string().min(1).max(100).meta({ description: "The feature's name in the model's feature set, e.g. ret_7d" }),
  attribution: finite.meta({ description: "Its contribution to the called class's probability (0.02 = 2 percentage points), summed over the window's days; positive pushes toward the call" }),
  value: finite.meta({ description: 'Its normalised value on the newest day: z-score against the training rows (0 = the training mean)' }),
});

/** The attributions of one prediction: integrated gradients of the called class's calibrated probability. */
export const AttributionsSchema = z
  .object({
    method: z.literal('integrated-gradients'),
    class: z.enum(CLASS_NAMES).meta({ description: "The class explained: the prediction's, also when it says no clear signal" }),
    baseline: z.literal('training-mean').meta({ description: 'The reference input: every feature at its training mean on every day of the window' }),
    steps: z.number().int().positive().max(100_000).meta({ description: 'Points of the path integral (midpoint rule)' }),
    probability: z.number().min(0).max(1).meta({ description: "The class's calibrated probability for the window" }),
    baselineProbability: z.number().min(0).max(1).meta({ description: 'The same for the baseline window' }),
    completenessGap: finite.meta({ description: 'Sum of the attributions minus (probability - baselineProbability): the integral\'s numerical error; 0 is exact' }),
    features: z.array(FeatureAttributionSchema).max(200).meta({ description: "Every feature, in the feature set's order" }),
  })
  .meta({ id: 'PredictionAttributions' });
export type Attributions = z.infer<typeof AttributionsSchema>;
