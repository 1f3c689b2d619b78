import type { AuthKind, CatalogueEntry, LocalText, NotYet, OAuthApp, Provider, SecretKind, SignIn } from './types.ts';

/** What the API and the wizard read: 'oauth2' first when Tidings signs in with OAuth, then the secrets. */
export function authKinds(signIn: SignIn): AuthKind[] {
  return [...(signIn.oauth ? (['oauth2'] as const) : []), ...signIn.secrets];
}

export function withAuth(entry: CatalogueEntry): Provider {
  return { ...entry, auth: authKinds(entry.signIn) };
}

const oauthWords: Record<OAuthApp, LocalText> = {
  google: { en: 'Sign in with Google (OAuth)', 'zh-CN': '使用 Google 授权登录(OAuth)' },
  microsoft: { en: 'Sign in with Microsoft (OAuth)', 'zh-CN': '使用 Microsoft 授权登录(OAuth)' },
};

const secretWords: Record<SecretKind, LocalText> = {
  app_password: { en: 'an app password', 'zh-CN': '应用专用密码' },
  authorization_code: { en: 'an authorization code (授权码)', 'zh-CN': '授权码' },
  password: { en: 'the mailbox password', 'zh-CN': '邮箱密码' },
};

function notYetWords(kind: NotYet, name: LocalText): LocalText {
  switch (kind) {
    case 'provider_oauth':
      return {
        en: `${name.en} also offers its own OAuth sign-in, which Tidings does not offer yet.`,
        'zh-CN': `${name['zh-CN']}也提供自己的 OAuth 授权登录,Tidings 暂不支持。`,
      };
  }
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * One or two sentences saying how this provider's mailboxes bind: "Sign in with Google (OAuth), or an app
 * password." docs/compatibility.md prints the English one; the wizard does not show it (it reads `auth`
 * and `oauthApp` from the API and words them itself).
 */
export function describeSignIn(p: Pick<CatalogueEntry, 'name' | 'signIn'>): LocalText {
  const { oauth, secrets, notYet = [], note } = p.signIn;
  const ways = [...(oauth ? [oauthWords[oauth]] : []), ...secrets.map((s) => secretWords[s])];
  const en: string[] = [];
  const zh: string[] = [];
  if (ways.length === 0) {
    en.push('Tidings cannot bind it yet.');
    zh.push('Tidings 暂时无法绑定。');
  } else {
    const only = oauth && secrets.length === 0;
    en.push(`${capitalise(ways.map((w) => w.en).join(', or '))}${only ? ' only: passwords are refused' : ''}.`);
    zh.push(`${ways.map((w) => w['zh-CN']).join(',或')}${only ? '(仅此一种方式:密码会被拒绝)' : ''}。`);
  }
  for (const kind of notYet) {
    const text = notYetWords(kind, p.name);
    en.push(text.en);
    zh.push(text['zh-CN']);
  }
  if (note) {
    en.push(note.en);
    zh.push(note['zh-CN']);
  }
  return { en: en.join(' '), 'zh-CN': zh.join('') };
}
