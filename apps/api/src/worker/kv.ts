// The slice of the Workers KV binding the API uses, typed here so the app needs no @cloudflare/workers-types.
// Runtime-neutral types only.

/** A KV namespace binding (see https://developers.cloudflare.com/kv/api/). */
export interface KvNamespace {
  get(key: string, type: 'text'): Promise<string | null>;
  get(key: string, type: 'arrayBuffer'): Promise<ArrayBuffer | null>;
  put(key: string, value: string | ArrayBuffer | Uint8Array): Promise<void>;
  delete(key: string): Promise<void>;
  list(options?: { prefix?: string; cursor?: string; limit?: number }): Promise<{ keys: Array<{ name: string }>; list_complete: boolean; cursor?: string }>;
}

/** Every key under `prefix`, following list cursors. */
export async function listKeys(kv: KvNamespace, prefix: string): Promise<string[]> {
  const names: string[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await kv.list({ prefix, cursor });
    names.push(...page.keys.map((k) => k.name));
    if (page.list_complete || !page.cursor) return names;
    cursor = page.cursor;
  }
}
