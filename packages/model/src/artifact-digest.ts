// The digest that pins an artifact as a whole: the sha256 of metadata.json's exact bytes. metadata.json records
// the sha256 of every other file (each checked on read), so this one hash covers the metadata (temperature,
// normalisers, thresholds, the file hashes themselves) and, through them, the weights. The registry records it when
// the model is registered and every loader checks it before using anything of the artifact. Runtime-neutral
// (Web Crypto): must not import tfjs or anything runtime-specific.
import { sha256Hex, toBytes } from './artifact-files.ts';

/** What the registry holds about an artifact, checked before anything of it is used. */
export interface ArtifactPin {
  /** artifactDigest of metadata.json as registered; null for a registry row from before digests. */
  digest: string | null;
  /** How errors name the model, e.g. `POOLED 7d 20260101-000000`. */
  model: string;
  /** The metadata as registered (the registry's copy), to name the fields that changed; optional. */
  registered?: Record<string, unknown>;
  /** The fix an error ends with (default: retrain or re-publish). */
  fix?: string;
}

const DEFAULT_FIX = 'Retrain the model (`coinsphere train`) or re-publish it (`coinsphere publish`, with --edge for a Worker); never edit an artifact by hand.';

/** The artifact's digest: sha256 (lowercase hex) of metadata.json's exact bytes. */
export function artifactDigest(metadataJson: Uint8Array | string): Promise<string> {
  return sha256Hex(metadataJson);
}

/** JSON with object keys sorted, so two equal values give one string whatever their key order (jsonb reorders). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The top-level fields whose values differ between two metadata objects, as `name (registered X, now Y)`. */
export function changedFields(registered: Record<string, unknown>, actual: Record<string, unknown>): string[] {
  const keys = [...new Set([...Object.keys(registered), ...Object.keys(actual)])].sort();
  const shown = (v: unknown) => (v === undefined ? 'absent' : typeof v === 'object' && v !== null ? 'another value' : JSON.stringify(v));
  return keys
    .filter((k) => canonicalJson(registered[k]) !== canonicalJson(actual[k]))
    .map((k) => (typeof registered[k] === 'object' || typeof actual[k] === 'object' ? k : `${k} (registered ${shown(registered[k])}, now ${shown(actual[k])})`));
}

function parsedObject(bytes: Uint8Array): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Throws, naming the model and the fix, when `pin` has no digest (a registration from before digests). */
export function assertPinned(pin: ArtifactPin): asserts pin is ArtifactPin & { digest: string } {
  if (pin.digest !== null) return;
  throw new Error(`Model ${pin.model} is registered without an artifact digest, so its metadata.json cannot be verified and is not used. ${pin.fix ?? DEFAULT_FIX}`);
}

/**
 * Checks metadata.json's bytes against the registry's pin. Throws naming the model, both digests, the fields that
 * changed (when the registered copy is given) and the fix; throws for a pin without a digest (a row from before
 * digests: the loader cannot tell an edited file from the one trained).
 */
export async function verifyArtifactDigest(metadataJson: Uint8Array | string, pin: ArtifactPin): Promise<void> {
  const fix = pin.fix ?? DEFAULT_FIX;
  assertPinned(pin);
  const bytes = toBytes(metadataJson);
  const actual = await artifactDigest(bytes);
  if (actual === pin.digest) return;
  const now = parsedObject(bytes);
  const fields = pin.registered && now ? changedFields(pin.registered, now) : [];
  throw new Error(
    `metadata.json of model ${pin.model} has sha256 ${actual} but the registry records ${pin.digest}: it changed after the model was registered` +
      `${fields.length ? ` (changed: ${fields.join(', ')})` : ''}, so it is not used. ${fix}`,
  );
}

/** True when metadata.json's bytes hold the same metadata as the registry's copy (key order aside). */
export function sameMetadata(metadataJson: Uint8Array | string, registered: Record<string, unknown>): boolean {
  const now = parsedObject(toBytes(metadataJson));
  return now !== null && canonicalJson(now) === canonicalJson(registered);
}
