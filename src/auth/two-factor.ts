import { generate, generateSecret, generateURI, verify } from 'otplib';

/**
 * TOTP (RFC 6238) as authenticator apps expect it: 30-second steps, 6 digits, SHA-1. One step of clock
 * drift either way is accepted.
 */
export function newTotpSecret(): string {
  return generateSecret();
}

export function totpUri(secret: string, account: string): string {
  return generateURI({ issuer: 'Tidings', label: account, secret });
}

export async function checkTotp(secret: string, code: string): Promise<boolean> {
  if (!/^\d{6}$/.test(code)) return false;
  try {
    const result = await verify({ secret, token: code, epochTolerance: 30 } as Parameters<typeof verify>[0]);
    return result.valid;
  } catch {
    return false;
  }
}

/** For tests: the code an authenticator app would show now. */
export function currentTotp(secret: string): Promise<string> {
  return generate({ secret });
}
