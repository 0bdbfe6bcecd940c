// The artifact's file names, its reader/writer callback types and the sha256 used to verify files.
// Runtime-neutral (Web Crypto) and free of tfjs, so the Worker can verify artifacts without it.

/** File names inside an artifact folder. */
export const ARTIFACT_FILES = { model: 'model.json', weights: 'group1-shard1of1.bin', metadata: 'metadata.json' } as const;

/** Writes one file of the artifact (the runtime supplies it: fs in Node, OPFS or a download in the browser). */
export type WriteArtifactFile = (name: string, data: Uint8Array | string) => Promise<void>;
/** Reads one file of the artifact; a string is taken as UTF-8 text. */
export type ReadArtifactFile = (name: string) => Promise<Uint8Array | string>;

/** Bytes of a file read as text or bytes. */
export const toBytes = (data: Uint8Array | string): Uint8Array => (typeof data === 'string' ? new TextEncoder().encode(data) : data);

/** sha256 of `data` as lowercase hex, through Web Crypto (Node 20, browsers, Workers). */
export async function sha256Hex(data: Uint8Array | string): Promise<string> {
  const bytes = toBytes(data);
  const digest = await crypto.subtle.digest('SHA-256', bytes.slice().buffer);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
