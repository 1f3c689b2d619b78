import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface VaultKeysTable {
  id: Generated<string>;
  /** The data key, AES-256-GCM-encrypted under the master key: base64 of iv | tag | ciphertext. */
  wrapped_key: string;
  /** Identifies the master key that wraps it (a hash prefix, never the key). */
  master_key_id: string;
  active: boolean;
  created_at: Timestamp;
}

export interface SecretsTable {
  id: Generated<string>;
  /** What the secret belongs to, for rotation reports and clean-up: e.g. 'mailbox'. */
  owner_type: string;
  owner_id: string | null;
  /** 'password' | 'authorization_code' | 'app_password' | 'oauth_refresh_token' ... */
  kind: string;
  key_id: string;
  /** base64 of iv | tag | ciphertext; AAD is the secret id, so a ciphertext cannot be moved to another row. */
  ciphertext: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface VaultTables {
  vault_keys: VaultKeysTable;
  secrets: SecretsTable;
}
