import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { DomainError } from '../kernel/index.ts';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export type VaultErrorCode = 'master_key_mismatch' | 'secret_corrupt' | 'master_key_missing' | 'secret_not_found';

export class VaultError extends DomainError<VaultErrorCode> {}

/** AES-256-GCM; output is base64(iv | tag | ciphertext). */
export function seal(key: Buffer, plaintext: Buffer, aad: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64');
}

export function open(key: Buffer, sealed: string, aad: string): Buffer {
  const raw = Buffer.from(sealed, 'base64');
  // The tag length stated: without it GCM accepts any tag of 4 to 16 bytes, and a short one is guessable.
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
}

/**
 * Turns the configured master key (any string with enough entropy, or the key file's base64) into
 * 32 bytes. HKDF, not a password hash: the key file holds 32 random bytes and the env value is meant
 * to be generated the same way (`openssl rand -base64 32`).
 */
export function deriveMasterKey(material: string): Buffer {
  return Buffer.from(
    hkdfSync('sha256', Buffer.from(material.trim(), 'utf8'), Buffer.from('tidings-vault'), Buffer.from('master-key-v1'), 32),
  );
}

/** A public identifier for a master key: lets us tell "wrong key" from "corrupt data". */
export function masterKeyId(key: Buffer): string {
  return createHash('sha256').update(key).update('tidings-master-key-id').digest('hex').slice(0, 16);
}
