import type { Provider } from '../mailboxes/types.ts';
import type { SigninProvider } from './types.ts';

// TODO(catalogue): until every catalogue entry names its sign-in kind, the entries known to sign in with
// Google or Microsoft are listed here.
const KNOWN: Record<string, SigninProvider> = { gmail: 'google', outlook: 'microsoft', microsoft365: 'microsoft' };

/** Which sign-in app binds this catalogue entry with OAuth, or null when it takes a password or code. */
export function signinProviderOf(provider: Pick<Provider, 'id' | 'auth'> | null): SigninProvider | null {
  if (!provider?.auth.includes('oauth2')) return null;
  return KNOWN[provider.id] ?? null;
}
