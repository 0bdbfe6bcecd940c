// An artifact source as the model package's reader: one model's files by name, a missing one an error that says
// so. Runtime-neutral.
import type { ReadArtifactFile } from '@coinsphere/model/core';
import type { ArtifactSource, ModelRecord } from './store.ts';

/** Reads `model`'s files from `source`, throwing for a file it does not hold. */
export function readerOf(source: ArtifactSource, model: ModelRecord): ReadArtifactFile {
  return async (file) => {
    const bytes = await source.read(model, file);
    if (!bytes) throw new Error(`Artifact file ${file} is missing.`);
    return bytes;
  };
}
