// Reads a model artifact (metadata.json, model.json, weight files) into verified metadata and the weights as
// NamedWeight[] in the manifest's order, without tfjs: the fused engine takes them as they are, and the Worker
// bundle stays free of tfjs. Checks the sha256 of every file as packages/model's loadArtifact does.
// Runtime-neutral: Web Crypto only; must not import node:* or a tfjs package at runtime.
import { ARTIFACT_FILES, parseArtifactMetadata, sha256Hex, type ArtifactMetadata, type NamedWeight } from '@coinsphere/model/core';

/** Reads one artifact file by name; null when it does not exist. */
export type ReadArtifactBytes = (file: string) => Promise<Uint8Array | null>;

/** Verified metadata and the weights in tfjs `model.getWeights()` order. */
export interface ArtifactWeights {
  metadata: ArtifactMetadata;
  weights: NamedWeight[];
}

interface ManifestEntry {
  name: string;
  shape: number[];
  dtype?: string;
  quantization?: unknown;
}

interface ModelJson {
  weightsManifest?: Array<{ paths: string[]; weights: ManifestEntry[] }>;
}

async function readVerified(read: ReadArtifactBytes, file: string, expected: string | undefined): Promise<Uint8Array> {
  if (expected === undefined) throw new Error(`metadata.json has no sha256 for ${file}; refusing to load an unverified file.`);
  const bytes = await read(file);
  if (!bytes) throw new Error(`Artifact file ${file} is missing.`);
  const actual = await sha256Hex(bytes);
  if (actual !== expected) throw new Error(`Artifact file ${file} has sha256 ${actual} but metadata.json records ${expected}; the file was changed or damaged.`);
  return bytes;
}

function parseJson(bytes: Uint8Array, file: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (cause) {
    throw new Error(`${file} is not valid JSON.`, { cause });
  }
}

/** Splits the concatenated weight bytes of one manifest group into float32 tensors. */
function splitGroup(bytes: Uint8Array, entries: readonly ManifestEntry[]): NamedWeight[] {
  const out: NamedWeight[] = [];
  let offset = 0;
  for (const e of entries) {
    if ((e.dtype ?? 'float32') !== 'float32' || e.quantization) throw new Error(`Weight ${e.name} is ${e.dtype}${e.quantization ? ' (quantised)' : ''}; only float32 weights are supported.`);
    const size = e.shape.reduce((a, b) => a * b, 1);
    if (offset + size * 4 > bytes.length) throw new Error(`Weight files hold ${bytes.length} bytes but the manifest needs more at ${e.name}.`);
    const values = new Float32Array(size); // copy: the source may be unaligned
    new Uint8Array(values.buffer).set(bytes.subarray(offset, offset + size * 4));
    out.push({ name: e.name, shape: [...e.shape], values });
    offset += size * 4;
  }
  if (offset !== bytes.length) throw new Error(`Weight files hold ${bytes.length} bytes; the manifest accounts for ${offset}.`);
  return out;
}

/**
 * Loads and verifies an artifact: metadata.json validated (schema version, fields), sha256 of model.json and of
 * each weight file checked against it, weights decoded per the manifest. Throws naming the file and what differs.
 */
export async function readArtifactWeights(read: ReadArtifactBytes): Promise<ArtifactWeights> {
  const metaBytes = await read(ARTIFACT_FILES.metadata);
  if (!metaBytes) throw new Error(`Artifact file ${ARTIFACT_FILES.metadata} is missing.`);
  const metadata = parseArtifactMetadata(parseJson(metaBytes, ARTIFACT_FILES.metadata));
  const modelBytes = await readVerified(read, ARTIFACT_FILES.model, metadata.files[ARTIFACT_FILES.model]);
  const modelJson = parseJson(modelBytes, ARTIFACT_FILES.model) as ModelJson;
  if (!Array.isArray(modelJson.weightsManifest)) throw new Error(`${ARTIFACT_FILES.model} has no weightsManifest.`);
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
  return { metadata, weights };
}

/** The file names of an artifact: metadata.json, model.json and the weight files its manifest lists. */
export async function artifactFileNames(read: ReadArtifactBytes): Promise<string[]> {
  const modelBytes = await read(ARTIFACT_FILES.model);
  if (!modelBytes) throw new Error(`Artifact file ${ARTIFACT_FILES.model} is missing.`);
  const manifest = (parseJson(modelBytes, ARTIFACT_FILES.model) as ModelJson).weightsManifest ?? [];
  return [ARTIFACT_FILES.metadata, ARTIFACT_FILES.model, ...manifest.flatMap((g) => g.paths)];
}
