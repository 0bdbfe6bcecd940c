// Workers KV's get/put/delete/list over a Map, for tests of the KV store outside workerd (the real namespace is
// Cloudflare's service; tests/workers-smoke.test.ts runs the Worker over Miniflare's local KV). Runtime-neutral.
import type { KvNamespace } from './kv.ts';

/** A KvNamespace in memory; `data` holds the raw values. */
export function memoryKv(): KvNamespace & { data: Map<string, Uint8Array> } {
  const data = new Map<string, Uint8Array>();
  const toBytes = (value: string | ArrayBuffer | Uint8Array) =>
    typeof value === 'string' ? new TextEncoder().encode(value) : value instanceof ArrayBuffer ? new Uint8Array(value.slice(0)) : value.slice();
  return {
    data,
    get: (async (key: string, type: 'text' | 'arrayBuffer') => {
      const v = data.get(key);
      if (!v) return null;
      return type === 'text' ? new TextDecoder().decode(v) : v.slice().buffer;
    }) as KvNamespace['get'],
    put: async (key, value) => void data.set(key, toBytes(value)),
    delete: async (key) => void data.delete(key),
    list: async (o) => ({ keys: [...data.keys()].filter((k) => k.startsWith(o?.prefix ?? '')).sort().map((name) => ({ name })), list_complete: true }),
  };
}
