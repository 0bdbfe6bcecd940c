// Node file IO for model artifacts: the model package produces and checks the files; this writes them to
// artifacts/<SYMBOL>/<h>d/<version>/ atomically (a temp folder renamed into place, so a crash never leaves a
// half-written artifact), reads them back, and loads them onto the fused engine. A registered model is read from its
// location under the artifacts root and checked against the digest registered with it, so an edited metadata.json
// (temperature, normaliser, hashes) or another project's folder is refused, never used.
import { modelLabel, resolveArtifactLocation, toArtifactLocation, type ModelRecord } from '@coinsphere/data';
import { fusedNetworks, type FusedLstm } from '@coinsphere/engine';
import { loadFusedLstm } from '@coinsphere/engine/node';
import { ARTIFACT_FILES, artifactDigest, readArtifact, readArtifactMetadata, type ArtifactMetadata, type ArtifactPin } from '@coinsphere/model/core';
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

/** An artifact's networks on fused engines: its verified metadata and one runner per network (with input gradients,
 *  for the attributions). */
export interface LoadedArtifact {
  metadata: ArtifactMetadata;
  runners: FusedLstm[];
  dispose(): void;
}

/**
 * Reads and verifies the artifact in `dir` (against the registry's `pin` when given) and loads each network onto a
 * fused engine (one thread each).
 */
export async function loadFusedArtifact(dir: string, pin?: ArtifactPin): Promise<LoadedArtifact> {
  const contents = await readArtifact(artifactReader(dir), pin);
  const engines = await fusedNetworks(contents, (config) => loadFusedLstm(config, 1));
  return { metadata: contents.metadata, runners: engines, dispose: () => engines.forEach((e) => e.dispose()) };
}

/** What the registry records of an artifact written to `dir` under `root`: its relative location and its digest. */
export async function registrationOf(root: string, dir: string, files: ReadonlyMap<string, Uint8Array | string>): Promise<{ location: string; digest: string }> {
  const metadata = files.get(ARTIFACT_FILES.metadata);
  if (metadata === undefined) throw new Error(`The artifact for ${dir} has no ${ARTIFACT_FILES.metadata}; it cannot be registered.`);
  return { location: toArtifactLocation(root, dir), digest: await artifactDigest(metadata) };
}

/** The fix a CLI load failure of a registered model ends with. */
const CLI_FIX = 'Retrain it (`coinsphere train --pooled`, or `--symbol` for a model of one asset) to register a new version; never edit an artifact by hand.';

/** The registry's pin of `record`: its digest, its name in errors and the metadata registered with it. */
export function pinOf(record: ModelRecord, fix = CLI_FIX): ArtifactPin {
  return { digest: record.digest, model: modelLabel(record), registered: record.metadata, fix };
}

/** The folder of a registered model under `root` (throws for a location outside it, naming the fix). */
export function registeredDir(root: string, record: ModelRecord): string {
  return resolveArtifactLocation(root, record.location, modelLabel(record));
}

/** Loads a registered model's artifact from under `root` onto fused engines, verified against its digest. */
export function loadRegisteredArtifact(root: string, record: ModelRecord): Promise<LoadedArtifact> {
  return loadFusedArtifact(registeredDir(root, record), pinOf(record));
}

/** Reads a registered model's metadata.json from under `root`, verified against its digest. */
export function readRegisteredMetadata(root: string, record: ModelRecord): Promise<ArtifactMetadata> {
  return readArtifactMetadata(artifactReader(registeredDir(root, record)), pinOf(record));
}
