export { Vault, type SecretOwner } from './vault.ts';
export { VaultError, deriveMasterKey, type VaultErrorCode } from './crypto.ts';
export { loadMasterKey, generateKeyMaterial, KEY_FILE, NEW_KEY_FILE } from './master-key.ts';
export { rotateMasterKey } from './rotate.ts';
export type { VaultTables } from './tables.ts';
