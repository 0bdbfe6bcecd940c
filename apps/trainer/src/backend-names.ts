// The tfjs backend names the trainer accepts (--backend), apart from backends.ts so that parsing the flag does not
// import tfjs: only a run that trains on tfjs loads it.

export const BACKENDS = ['auto', 'node-gpu', 'node', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

/** Parses a --backend value or throws an error listing the allowed names. */
export function parseBackend(value: string): BackendName {
  if ((BACKENDS as readonly string[]).includes(value)) return value as BackendName;
  throw new Error(`Unsupported backend "${value}". Should be one of: ${BACKENDS.join(', ')}.`);
}
