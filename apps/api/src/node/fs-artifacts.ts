// Artifact files from the local file system for the Node entry: `<location>/<file>`, where location is the
// model's artifact folder (relative paths resolve against `root`). Refuses names that would leave the folder.
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { ArtifactSource, ModelRecord } from '../store.ts';

/** Reads artifact files below each model's location. */
export class FsArtifacts implements ArtifactSource {
  constructor(private readonly root: string = process.cwd()) {}

  async read(model: ModelRecord, file: string): Promise<Uint8Array | null> {
    if (basename(file) !== file || file.startsWith('.')) return null; // no traversal, no dotfiles
    try {
      return new Uint8Array(await readFile(resolve(this.root, model.location, file)));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'EISDIR') return null;
      throw err;
    }
  }
}
