// Artifact files from the local file system for the Node entry: `<root>/<location>/<file>`, where location is the
// model's artifact folder relative to the artifacts root (resolveArtifactLocation: an absolute one from before is
// read only when it lies under the root, so a copied project never serves the original's files). Refuses names
// that would leave the folder.
import { modelLabel, resolveArtifactLocation } from '@coinsphere/data';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ArtifactSource, ModelRecord } from '../store.ts';

/** Reads artifact files below each model's location under the artifacts root. */
export class FsArtifacts implements ArtifactSource {
  constructor(private readonly root: string = process.cwd()) {}

  /** The file's bytes, null when absent; throws ArtifactLocationError for a location outside the root. */
  async read(model: ModelRecord, file: string): Promise<Uint8Array | null> {
    if (basename(file) !== file || file.startsWith('.')) return null; // no traversal, no dotfiles
    const dir = resolveArtifactLocation(this.root, model.location, modelLabel(model));
    try {
      return new Uint8Array(await readFile(join(dir, file)));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'EISDIR') return null;
      throw err;
    }
  }
}
