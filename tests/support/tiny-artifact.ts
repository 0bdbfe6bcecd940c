// The files of a seeded tiny model (4-4-4 units over the specification's 20 features, 10-day windows) saved in the
// real artifact format (model.json, metadata.json, weights) by the tfjs writer, in memory: for route tests that
// store an artifact through the API. A served-size model without tfjs is predict-model.ts.
import { buildModel, DEFAULT_TRAINING_CONFIG, metadataFromDataset, prepareDataset, saveArtifact, type Candle, type ModelConfig } from '@coinsphere/model';

/** The tiny model's config. */
export const TINY_MODEL: ModelConfig = { windowBars: 10, nFeatures: 20, lstmUnits: [4, 4, 4], denseUnits: 4, nClasses: 3, dropout: 0.2 };

/** The files, by name, of a BTC 7-day TINY_MODEL of `version` with weights from `seed`, its data from `candles`. */
export async function tinyArtifactFiles(version: string, candles: Candle[], seed: number): Promise<Map<string, Uint8Array<ArrayBuffer>>> {
  const ds = prepareDataset(candles, { horizonDays: 7, windowBars: TINY_MODEL.windowBars });
  const model = buildModel(TINY_MODEL, seed);
  const metadata = metadataFromDataset(ds, { symbol: 'BTC', modelVersion: version, dataSource: 'synthetic', modelConfig: TINY_MODEL, trainingConfig: DEFAULT_TRAINING_CONFIG, metrics: null, temperature: 1 });
  const files = new Map<string, Uint8Array<ArrayBuffer>>();
  await saveArtifact(model, metadata, async (name, data) => void files.set(name, typeof data === 'string' ? new TextEncoder().encode(data) : new Uint8Array(data)));
  model.dispose();
  return files;
}
