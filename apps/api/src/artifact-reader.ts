// An artifact source as the model package's reader: one model's files by name, a missing one an error that says
// so; and the registry's pin of a model (the digest its metadata.json is checked against). Runtime-neutral.
import type { ArtifactPin, ReadArtifactFile } from '@coinsphere/model/core';
import type { ArtifactSource, ModelRecord } from './store.ts';

/** How the API names a model in errors: `SYMBOL hd version`. */
export const modelName = (m: Pick<ModelRecord, 'symbol' | 'horizonDays' | 'version'>): string => `${m.symbol} ${m.horizonDays}d ${m.version}`;

/** The fix an API refusal of an artifact ends with. */
const API_FIX = 'Retrain it (`coinsphere train`) and publish again; on a Worker, re-publish it (`coinsphere publish --edge`).';

/** The registry's pin of `model`: its digest (null for a registration from before digests), name and metadata. */
export function pinOf(model: ModelRecord): ArtifactPin {
  return { digest: model.digest ?? null, model: modelName(model), registered: model.metadata, fix: API_FIX };
}

/** Reads `model`'s files from `source`, throwing for a file it does not hold. */
export function readerOf(source: ArtifactSource, model: ModelRecord): ReadArtifactFile {
  return async (file) => {
    const bytes = await source.read(model, file);
    if (!bytes) throw new Error(`Artifact file ${file} is missing.`);
    return bytes;
  };
}
