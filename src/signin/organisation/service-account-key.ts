import { createPrivateKey } from 'node:crypto';
import { z } from 'zod';
import { OrgGrantError } from './errors.ts';

/**
 * A Google service account's JSON key, as the Google Cloud console downloads it. Only the fields a JWT
 * bearer grant needs are read; `token_uri` is ignored on purpose (the token endpoint comes from the
 * configured Google issuer, so an uploaded file cannot send the key elsewhere).
 */
const keyFileSchema = z.object({
  type: z.literal('service_account'),
  private_key_id: z.string().min(1).max(200),
  private_key: z.string().min(100).max(10_000),
  client_email: z.email().max(320),
  client_id: z.string().regex(/^\d{5,40}$/, 'a numeric client id'),
});

export interface ServiceAccountKey {
  clientEmail: string;
  clientId: string;
  keyId: string;
  privateKeyPem: string;
}

export function parseServiceAccountKey(json: string): ServiceAccountKey {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new OrgGrantError('org_key_invalid', 'The file is not JSON. Upload the service account key file (JSON) Google Cloud gave you.');
  }
  const parsed = keyFileSchema.safeParse(raw);
  if (!parsed.success)
    throw new OrgGrantError(
      'org_key_invalid',
      'This is not a Google service account key (type service_account with private_key, client_email and client_id).',
      {
        details: { fields: parsed.error.issues.map((i) => i.path.join('.')) },
      },
    );
  const key = parsed.data;
  try {
    const pk = createPrivateKey(key.private_key);
    if (pk.asymmetricKeyType !== 'rsa') throw new Error('not RSA');
  } catch {
    // The key's text never goes into the message or the details.
    throw new OrgGrantError('org_key_invalid', 'The private key in the file cannot be read as an RSA key (RS256).');
  }
  return {
    clientEmail: key.client_email.toLowerCase(),
    clientId: key.client_id,
    keyId: key.private_key_id,
    privateKeyPem: key.private_key,
  };
}
