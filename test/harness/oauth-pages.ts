// The local provider's pages: plain HTML forms with labelled inputs, so a browser test can click through
// them by role and name, and the harness's own walker (oauth-walker.ts) can submit them over HTTP. Each
// form carries `data-step` so the walker knows where it is without parsing prose.

export type ProviderKind = 'google' | 'microsoft';

const BRAND: Record<ProviderKind, string> = { google: 'Local Google', microsoft: 'Local Microsoft' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(kind: ProviderKind, title: string, body: string): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width">',
    `<title>${escapeHtml(title)} – ${BRAND[kind]}</title>`,
    '<style>body{font-family:sans-serif;max-width:28rem;margin:3rem auto}label,input,button{display:block;margin:.4rem 0}</style>',
    '</head>',
    `<body><main><p>${BRAND[kind]}</p><h1>${escapeHtml(title)}</h1>`,
    body,
    '</main></body></html>',
  ].join('\n');
}

export function loginPage(opts: { kind: ProviderKind; uid: string; clientName: string; loginHint?: string; error?: string }): string {
  return page(
    opts.kind,
    'Sign in',
    [
      `<p>to continue to ${escapeHtml(opts.clientName)}</p>`,
      opts.error ? `<p role="alert">${escapeHtml(opts.error)}</p>` : '',
      `<form method="post" action="/interaction/${escapeHtml(opts.uid)}/login" data-step="login">`,
      '<label for="email">Email</label>',
      `<input id="email" name="email" type="email" autocomplete="username" required value="${escapeHtml(opts.loginHint ?? '')}">`,
      '<label for="password">Password</label>',
      '<input id="password" name="password" type="password" autocomplete="current-password">',
      '<button type="submit">Sign in</button>',
      '</form>',
    ].join('\n'),
  );
}

export function consentPage(opts: { kind: ProviderKind; uid: string; clientName: string; email: string; scopes: string[] }): string {
  return page(
    opts.kind,
    `${opts.clientName} wants to access your account`,
    [
      `<p>Signed in as ${escapeHtml(opts.email)}</p>`,
      '<p>This will allow it to:</p>',
      `<ul>${opts.scopes.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ul>`,
      `<form method="post" action="/interaction/${escapeHtml(opts.uid)}/consent" data-step="consent">`,
      '<button type="submit" name="decision" value="grant">Allow</button>',
      '<button type="submit" name="decision" value="deny">Deny</button>',
      '</form>',
    ].join('\n'),
  );
}

/** oidc-provider hands over its own form; only its hidden xsrf value is kept, the form is ours. */
function xsrfOf(providerForm: string): string {
  return /name="xsrf" value="([^"]*)"/.exec(providerForm)?.[1] ?? '';
}

export function deviceInputPage(kind: ProviderKind, providerForm: string, action: string, error?: string): string {
  return page(
    kind,
    'Enter code',
    [
      error ? `<p role="alert">${escapeHtml(error)}</p>` : '',
      `<form method="post" action="${escapeHtml(action)}" data-step="device-input">`,
      `<input type="hidden" name="xsrf" value="${escapeHtml(xsrfOf(providerForm))}">`,
      '<label for="user_code">Code</label>',
      '<input id="user_code" name="user_code" type="text" autocomplete="off" required>',
      '<button type="submit">Next</button>',
      '</form>',
    ].join('\n'),
  );
}

export function deviceConfirmPage(kind: ProviderKind, providerForm: string, action: string, clientName: string, userCode: string): string {
  return page(
    kind,
    `Sign in to ${clientName}?`,
    [
      `<p>Code ${escapeHtml(userCode)}</p>`,
      `<form method="post" action="${escapeHtml(action)}" data-step="device-confirm">`,
      `<input type="hidden" name="xsrf" value="${escapeHtml(xsrfOf(providerForm))}">`,
      `<input type="hidden" name="user_code" value="${escapeHtml(userCode)}">`,
      '<button type="submit" name="confirm" value="yes">Continue</button>',
      '<button type="submit" name="abort" value="yes">Cancel</button>',
      '</form>',
    ].join('\n'),
  );
}

export function deviceDonePage(kind: ProviderKind, clientName: string): string {
  return page(
    kind,
    'You are signed in',
    `<p data-step="device-done">You may now close this window and return to ${escapeHtml(clientName)}.</p>`,
  );
}

export function errorPage(kind: ProviderKind, error: string, description?: string): string {
  return page(
    kind,
    'Something went wrong',
    `<p data-step="error" data-error="${escapeHtml(error)}">${escapeHtml(description ?? error)}</p>`,
  );
}
