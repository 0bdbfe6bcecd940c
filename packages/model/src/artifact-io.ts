// Writing and reading a model artifact without tfjs: one folder with metadata.json and, per network of the
// ensemble, a model.json + weight file in the standard tfjs LayersModel format (the first member under tfjs's own
// names, so plain `tf.loadLayersModel('…/model.json')` reads it). Every file's sha256 is in metadata.json and is
// checked on read; with the registry's pin, metadata.json itself is checked against the digest registered with the
// model (artifact-digest.ts) before any of it is used. File IO is passed in, so this runs in Node, the browser and a
// Worker. Must not import tfjs.
import { verifyArtifactDigest, type ArtifactPin } from './artifact-digest.ts';
import { ARTIFACT_FILES, sha256Hex, toBytes, type ReadArtifactFile, type WriteArtifactFile } from './artifact-files.ts';
import { ARTIFACT_SCHEMA_VERSION, parseArtifactMetadata, type ArtifactMetadata, type ArtifactMetadataInput } from './artifact-metadata.ts';
import { FEATURE_SETS } from './feature-sets.ts';
import type { NamedWeight } from './init-weights.ts';
import { weightNames } from './init-weights.ts';
import { layersModelTopology } from './lstm-topology.ts';

/** File names of member `i`: tfjs's defaults for the first, numbered names for the others. */
export function memberFiles(i: number): { model: string; weights: string } {
  return i === 0 ? { model: ARTIFACT_FILES.model, weights: ARTIFACT_FILES.weights } : { model: `model-${i}.json`, weights: `model-${i}.bin` };
}

/** A decoded artifact: verified metadata and each member's weights in tfjs `getWeights()` order. */
export interface ArtifactContents {
  metadata: ArtifactMetadata;
  members: NamedWeight[][];
}

function checkMetadata(m: ArtifactMetadata): void {
  const expected = FEATURE_SETS[m.featureSet].names;
  for (let j = 0; j < Math.max(expected.length, m.featureNames.length); j++) {
    if (m.featureNames[j] !== expected[j]) {
      throw new Error(
        `Feature schema mismatch at column ${j}: the model expects "${m.featureNames[j] ?? '(none)'}" but this code's "${m.featureSet}" set computes ` +
          `"${expected[j] ?? '(none)'}". Retrain the model with this version or use the version that trained it.`,
      );
    }
  }
  const cfg = m.config.model;
  if (cfg.windowBars !== m.windowBars || cfg.nFeatures !== m.featureNames.length) {
    throw new Error(`The network takes [${cfg.windowBars}, ${cfg.nFeatures}] windows but the metadata says windowBars ${m.windowBars} and ${m.featureNames.length} features.`);
  }
  const dist = m.trainingDistribution;
  if (dist && dist.features.map((f) => f.name).join(',') !== m.featureNames.join(',')) {
    throw new Error(`The training distribution describes features ${dist.features.map((f) => f.name).join(', ')}; the model reads ${m.featureNames.join(', ')}.`);
  }
  for (const [symbol, bins] of Object.entries(dist?.bySymbol ?? {})) {
    if (bins.length !== m.featureNames.length) throw new Error(`The training distribution of ${symbol} has bins for ${bins.length} features; the model reads ${m.featureNames.length}.`);
  }
  const norms = m.normalization.kind === 'global' ? [m.normalization.normalizer] : Object.values(m.normalization.bySymbol);
  for (const nz of norms) {
    if (nz.mean.length !== cfg.nFeatures || nz.std.length !== cfg.nFeatures) throw new Error(`A normaliser has ${nz.mean.length} means and ${nz.std.length} stds; expected ${cfg.nFeatures}.`);
  }
}

function checkWeights(m: ArtifactMetadata, weights: readonly NamedWeight[], i: number): void {
  const names = weightNames(m.config.model);
  if (weights.length !== names.length || weights.some((w, j) => w.name !== names[j])) {
    throw new Error(`Member ${i} has weights ${weights.map((w) => w.name).join(', ')}; expected ${names.join(', ')}.`);
  }
  for (const w of weights) {
    if (w.values.length !== w.shape.reduce((a, b) => a * b, 1)) throw new Error(`Weight ${w.name} has ${w.values.length} values for shape [${w.shape.join(', ')}].`);
    if (!w.values.every(Number.isFinite)) throw new Error(`Weight ${w.name} of member ${i} holds a non-finite value; the training diverged. Retrain with a lower learning rate.`);
  }
}

/**
 * Writes the members' model.json and weight files, then metadata.json (last, so a folder without it is
 * incomplete), and returns the metadata as written. Validates everything before writing anything. `seeds` names
 * each member's seed.
 */
export async function writeArtifact(input: ArtifactMetadataInput, members: readonly NamedWeight[][], seeds: readonly number[], write: WriteArtifactFile): Promise<ArtifactMetadata> {
  if (members.length === 0 || members.length !== seeds.length) throw new Error(`An artifact needs one seed per member; got ${members.length} members and ${seeds.length} seeds.`);
  const memberList = members.map((_, i) => ({ model: memberFiles(i).model, weights: [memberFiles(i).weights], seed: seeds[i]! }));
  const placeholder = '0'.repeat(64);
  const checked = parseArtifactMetadata({ ...input, schemaVersion: ARTIFACT_SCHEMA_VERSION, members: memberList, files: { [ARTIFACT_FILES.model]: placeholder } });
  checkMetadata(checked);
  members.forEach((w, i) => checkWeights(checked, w, i));
  const files = new Map<string, Uint8Array | string>();
  members.forEach((weights, i) => {
    const names = memberFiles(i);
    const bytes = new Uint8Array(weights.reduce((n, w) => n + w.values.length * 4, 0));
    let at = 0;
    for (const w of weights) {
      bytes.set(new Uint8Array(w.values.buffer, w.values.byteOffset, w.values.byteLength), at);
      at += w.values.byteLength;
    }
    files.set(names.weights, bytes);
    files.set(names.model, JSON.stringify({
      modelTopology: layersModelTopology(checked.config.model, checked.config.training.seed),
      format: 'layers-model',
      generatedBy: 'coinsphere',
      convertedBy: null,
      weightsManifest: [{ paths: [names.weights], weights: weights.map((w) => ({ name: w.name, shape: w.shape, dtype: 'float32' })) }],
    }));
  });
  const hashes: Record<string, string> = {};
  for (const [name, data] of files) hashes[name] = await sha256Hex(data);
  const full: ArtifactMetadata = { ...checked, files: hashes };
  for (const [name, data] of files) await write(name, data);
  await write(ARTIFACT_FILES.metadata, `${JSON.stringify(full, null, 2)}\n`);
  return full;
}

async function readVerified(read: ReadArtifactFile, name: string, expected: string | undefined): Promise<Uint8Array> {
  if (expected === undefined) throw new Error(`metadata.json has no sha256 for ${name}; refusing to load an unverified file.`);
  let bytes: Uint8Array;
  try {
    bytes = toBytes(await read(name));
  } catch (cause) {
    throw new Error(`Cannot read artifact file ${name}.`, { cause });
  }
  const actual = await sha256Hex(bytes);
  if (actual !== expected) throw new Error(`Artifact file ${name} has sha256 ${actual} but metadata.json records ${expected}; the file was changed or damaged.`);
  return bytes;
}

function parseJson(bytes: Uint8Array, file: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (cause) {
    throw new Error(`${file} is not valid JSON.`, { cause });
  }
}

interface ManifestEntry { name: string; shape: number[]; dtype?: string; quantization?: unknown }
interface ModelJson { weightsManifest?: Array<{ paths: string[]; weights: ManifestEntry[] }> }

/** Splits the concatenated weight bytes of one manifest group into float32 tensors. */
function splitGroup(bytes: Uint8Array, entries: readonly ManifestEntry[]): NamedWeight[] {
  const out: NamedWeight[] = [];
  let offset = 0;
  for (const e of entries) {
    if ((e.dtype ?? 'float32') !== 'float32' || e.quantization) throw new Error(`Weight ${e.name} is ${e.dtype}${e.quantization ? ' (quantised)' : ''}; only float32 weights are supported.`);
    const size = e.shape.reduce((a, b) => a * b, 1);
    if (offset + size * 4 > bytes.length) throw new Error(`Weight files hold ${bytes.length} bytes but the manifest needs more at ${e.name}.`);
    const values = new Float32Array(size); // a copy: the source may be unaligned
    new Uint8Array(values.buffer).set(bytes.subarray(offset, offset + size * 4));
    out.push({ name: e.name, shape: [...e.shape], values });
    offset += size * 4;
  }
  if (offset !== bytes.length) throw new Error(`Weight files hold ${bytes.length} bytes; the manifest accounts for ${offset}.`);
  return out;
}

/**
 * Reads metadata.json alone, validated (for listings that need no weights). With `pin` (the registry's digest of
 * the model) its bytes are checked first and a mismatch throws naming the model and the fix (verifyArtifactDigest).
 */
export async function readArtifactMetadata(read: ReadArtifactFile, pin?: ArtifactPin): Promise<ArtifactMetadata> {
  let bytes: Uint8Array;
  try {
    bytes = toBytes(await read(ARTIFACT_FILES.metadata));
  } catch (cause) {
    throw new Error(`Cannot read ${ARTIFACT_FILES.metadata} (${cause instanceof Error ? cause.message : String(cause)}); the artifact is missing or incomplete.`, { cause });
  }
  if (pin) await verifyArtifactDigest(bytes, pin);
  const metadata = parseArtifactMetadata(parseJson(bytes, ARTIFACT_FILES.metadata));
  checkMetadata(metadata);
  return metadata;
}

/**
 * Reads and verifies an artifact: metadata.json validated (schema version, fields, feature schema), the sha256 of
 * every member's model.json and weight files checked, weights decoded per each manifest and checked against the
 * network's shape. With `pin` (the registry's digest), metadata.json is checked against it first, so the artifact
 * is verified as a whole. Throws naming the file and what differs.
 */
export async function readArtifact(read: ReadArtifactFile, pin?: ArtifactPin): Promise<ArtifactContents> {
  const metadata = await readArtifactMetadata(read, pin);
  const members: NamedWeight[][] = [];
  for (const [i, member] of metadata.members.entries()) {
    const modelJson = parseJson(await readVerified(read, member.model, metadata.files[member.model]), member.model) as ModelJson;
    if (!Array.isArray(modelJson.weightsManifest)) throw new Error(`${member.model} has no weightsManifest.`);
    const weights: NamedWeight[] = [];
    for (const group of modelJson.weightsManifest) {
      const parts = await Promise.all(group.paths.map((p) => readVerified(read, p, metadata.files[p])));
      const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) {
        joined.set(p, at);
        at += p.length;
      }
      weights.push(...splitGroup(joined, group.weights));
    }
    checkWeights(metadata, weights, i);
    members.push(weights);
  }
  return { metadata, members };
}

/** Every file of an artifact: metadata.json and each member's files (what a copy or an upload must carry). */
export function artifactFileNames(metadata: ArtifactMetadata): string[] {
  return [ARTIFACT_FILES.metadata, ...metadata.members.flatMap((m) => [m.model, ...m.weights])];
}
