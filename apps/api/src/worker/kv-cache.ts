// ServingCache over a Workers KV namespace. KV writes are atomic per key, not per batch: on the edge a reader
// may see a batch while it is being written key by key (the Node entry's Redis MULTI has no such window).
// Runtime-neutral: Web Standards only.
import type { CacheHealth, ServingCache } from '@coinsphere/serving';
import type { KvNamespace } from './kv.ts';

/** KV-backed serving cache. */
export class KvCache implements ServingCache {
  readonly backend = 'kv';
  constructor(private readonly kv: KvNamespace) {}

  getMany(keys: readonly string[]): Promise<Array<string | null>> {
    return Promise.all(keys.map((k) => this.kv.get(k, 'text')));
  }

  async setMany(entries: ReadonlyArray<readonly [string, string]>): Promise<void> {
    await Promise.all(entries.map(([k, v]) => this.kv.put(k, v)));
  }

  async deleteMany(keys: readonly string[]): Promise<void> {
    await Promise.all(keys.map((k) => this.kv.delete(k)));
  }

  async health(): Promise<CacheHealth> {
    try {
      await this.kv.get('cs:v1:health', 'text');
      return { backend: this.backend, ok: true };
    } catch (err) {
      return { backend: this.backend, ok: false, detail: `KV unreachable (${(err as Error).message})` };
    }
  }
}
