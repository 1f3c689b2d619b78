// The local OpenID Provider's storage: one in-memory store per provider instance (oidc-provider's own
// memory adapter is a module-wide singleton), with the one extra thing the harness needs: forgetting
// everything that belongs to an account, which is what "revoke" means at Google or Microsoft.

export type Payload = Record<string, unknown> & {
  accountId?: string;
  grantId?: string;
  userCode?: string;
  uid?: string;
  consumed?: number;
};

interface Entry {
  payload: Payload;
  /** ms epoch; undefined = no expiry. */
  expiresAt?: number;
}

export class OAuthStore {
  private readonly entries = new Map<string, Entry>();

  private static key(model: string, id: string): string {
    return `${model}:${id}`;
  }

  get(model: string, id: string): Payload | undefined {
    const key = OAuthStore.key(model, id);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.payload;
  }

  set(model: string, id: string, payload: Payload, expiresInSeconds?: number): void {
    const expiresAt = typeof expiresInSeconds === 'number' ? Date.now() + expiresInSeconds * 1000 : undefined;
    this.entries.set(OAuthStore.key(model, id), { payload, expiresAt });
  }

  delete(model: string, id: string): void {
    this.entries.delete(OAuthStore.key(model, id));
  }

  /** Removes every entry (any model) whose payload matches; returns how many went. */
  deleteWhere(match: (model: string, payload: Payload) => boolean): number {
    let removed = 0;
    for (const [key, entry] of this.entries) {
      const model = key.slice(0, key.indexOf(':'));
      if (match(model, entry.payload)) {
        this.entries.delete(key);
        removed += 1;
      }
    }
    return removed;
  }

  findWhere(model: string, match: (payload: Payload) => boolean): Payload | undefined {
    for (const [key, entry] of this.entries) {
      if (!key.startsWith(`${model}:`)) continue;
      if (entry.expiresAt !== undefined && entry.expiresAt <= Date.now()) continue;
      if (match(entry.payload)) return entry.payload;
    }
    return undefined;
  }

  /** The adapter class oidc-provider instantiates once per model name. */
  adapterClass(): new (model: string) => unknown {
    const store = this;
    return class StoreAdapter {
      constructor(private readonly model: string) {}
      async upsert(id: string, payload: Payload, expiresIn?: number): Promise<void> {
        store.set(this.model, id, payload, expiresIn);
      }
      async find(id: string): Promise<Payload | undefined> {
        return store.get(this.model, id);
      }
      async findByUserCode(userCode: string): Promise<Payload | undefined> {
        return store.findWhere(this.model, (p) => p.userCode === userCode);
      }
      async findByUid(uid: string): Promise<Payload | undefined> {
        return store.findWhere(this.model, (p) => p.uid === uid);
      }
      async consume(id: string): Promise<void> {
        const payload = store.get(this.model, id);
        if (payload) payload.consumed = Math.floor(Date.now() / 1000);
      }
      async destroy(id: string): Promise<void> {
        store.delete(this.model, id);
      }
      async revokeByGrantId(grantId: string): Promise<void> {
        store.deleteWhere((_model, p) => p.grantId === grantId);
      }
    };
  }
}
