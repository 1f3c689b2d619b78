import type { Provider } from '../mailboxes/types.ts';
import type { SigninProvider } from './types.ts';

/** Which sign-in app binds this catalogue entry with OAuth (the catalogue's `signIn.oauth`), or null. */
export function signinProviderOf(provider: Pick<Provider, 'oauthApp'> | null): SigninProvider | null {
  return provider?.oauthApp ?? null;
}
