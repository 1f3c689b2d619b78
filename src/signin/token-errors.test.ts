import { describe, expect, it } from 'vitest';
import fixtures from './fixtures/token-errors.json' with { type: 'json' };
import { aadstsCodes, providerMessage, signinErrorCodeFor, type OAuthErrorAnswer } from './token-errors.ts';

describe('signinErrorCodeFor (real Google and Microsoft answers)', () => {
  for (const fixture of fixtures as Array<{ name: string; expect: string; answer: OAuthErrorAnswer }>) {
    it(fixture.name, () => {
      expect(signinErrorCodeFor(fixture.answer)).toBe(fixture.expect);
    });
  }

  it('reads the AADSTS number from the description when error_codes is absent', () => {
    expect(aadstsCodes({ error_description: 'AADSTS7000222: expired' })).toEqual([7000222]);
  });

  it('reads the AADSTS number before the generic error (65001 comes as invalid_grant)', () => {
    expect(signinErrorCodeFor({ status: 400, error: 'invalid_grant', error_codes: [65001] })).toBe('oauth_consent_required');
  });

  it('shows only the first line of a Microsoft description (no trace ids)', () => {
    const message = providerMessage({ error_description: 'AADSTS50173: revoked.\r\nTrace ID: 1\r\nCorrelation ID: 2' });
    expect(message).toBe('AADSTS50173: revoked.');
  });
});
