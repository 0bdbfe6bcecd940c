// Node file IO for model artifacts: the model package produces and checks the files; this writes them to
// artifacts/<SYMBOL>/<h>d/<version>/ atomically (a temp folder renamed into place, so a crash never leaves a
// half-written artifact), reads them back, and loads them onto the fused engine.
import { fusedNetworks } from '@coinsphere/engine';
import { loadFusedLstm } from '@coinsphere/engine/node';
import { readArtifact, type ArtifactMetadata, type NetworkRunner } from '@coinsphere/model/core';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

/** The folder of one artifact version. */
export function artifactDir(root: string, symbol: string, horizonDays: number, version: string): string {
  return resolve(root, symbol.toUpperCase(), `${horizonDays}d`, version);
}

/** Writes every file into a temp sibling folder, then renames it to `dir`. Refuses to overwrite. */
export async function writeArtifactFiles(dir: string, files: Map<string, Uint8Array | string>): Promise<void> {
  const tmp = `${dir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  try {
    for (const [name, data] of files) {
      const path = join(tmp, name);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, data);
    }
    await mkdir(dirname(dir), { recursive: true });
    await rename(tmp, dir);
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw new Error(`Could not write the artifact to ${dir}: ${(error as Error).message}`, { cause: error });
  }
}

/** A reader over one artifact folder, as the model package's loadArtifact expects. */
export function artifactReader(dir: string): (name: string) => Promise<Uint8Array> {
  return async (name) => {
    try {
      return new Uint8Array(await readFile(join(dir, name)));
    } catch (error) {
      throw new Error(`Artifact file ${join(dir, name)} cannot be read: ${(error as Error).message}`, { cause: error });
    }
  };
}

/** An artifact's networks on fused engines: its verified metadata and one runner per network. */
export interface LoadedArtifact {
  metadata: ArtifactMetadata;
  runners: NetworkRunner[];
  dispose(): void;
}

/** Reads and verifies the artifact in `dir` and loads each network onto a fused engine (one thread each). */
export async function loadFusedArtifact(dir: string): Promise<LoadedArtifact> {
  const contents = await readArtifact(artifactReader(dir));
  const engines = await fusedNetworks(contents, (config) => loadFusedLstm(config, 1));
  return { metadata: contents.metadata, runners: engines, dispose: () => engines.forEach((e) => e.dispose()) };
}
