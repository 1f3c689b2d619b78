import { describeSignIn } from './sign-in.ts';
import type { Provider, Quirk, ServerSetting } from './types.ts';

const quirkWords: Record<Quirk, string> = {
  sends_imap_id: 'needs IMAP ID before SELECT',
  imap_must_be_enabled: 'IMAP must be switched on in web settings',
  admin_must_allow_client_access: 'admin must allow client access',
  ip_allow_list: 'may restrict login IPs',
  password_login_closed: 'account password refused',
  ews_only: 'EWS via Autodiscover',
  gmail_extensions: 'Gmail extensions (labels, X-GM-MSGID)',
  local_bridge: 'local Bridge on 127.0.0.1 (self-signed certificate to pin)',
};

const kindWords: Record<Provider['kind'], string> = {
  enterprise: 'Enterprise',
  public: 'Public',
  china_enterprise: 'China enterprise',
  custom: 'Custom',
};

/** Table cells: a pipe would end the cell, a newline the row, and `<your domain>` would read as HTML. */
function cell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r?\n/g, ' ');
}

/** Several escaped lines in one cell. */
const lines = (parts: string[]) => parts.map(cell).join('<br>');

function server(s: ServerSetting | undefined): string {
  return s ? `${s.host}:${s.port} ${s.security.toUpperCase()}` : '—';
}

function servers(p: Provider): string[] {
  if (!p.imap && !p.smtp) return [p.quirks.includes('ews_only') ? 'Autodiscover (EWS)' : 'entered by hand'];
  const rows = [`IMAP ${server(p.imap)}`, `SMTP ${server(p.smtp)}`];
  if (p.customDomain) {
    rows.push(`own domain: IMAP ${server(p.customDomain.imap)}`, `SMTP ${server(p.customDomain.smtp)}`);
  }
  return rows;
}

/** Sending facts the providers publish: Tidings refuses before the provider would (daily recipients, message size). */
function sendingLimits(list: readonly Provider[]): string[] {
  const withFacts = list.filter((p) => p.sending);
  if (!withFacts.length) return [];
  const mb = (bytes: number) => `${(bytes / 1_000_000).toLocaleString('en-US')} MB`;
  const out = [
    '## Sending limits',
    '',
    'Figures each provider publishes (Sources link the page). Before queueing a message Tidings checks',
    'the recipients sent from the mailbox in the last 24 hours plus this message against the daily limit',
    '(`send_quota_reached`, with Retry-After) and the encoded message against the size limit',
    '(`message_too_large`). A provider not listed has no published figure, and Tidings sets no limit.',
    '',
    '| Provider | Recipients per 24 hours | Largest message | Saves the Sent copy itself |',
    '| --- | --- | --- | --- |',
  ];
  for (const p of withFacts) {
    const s = p.sending!;
    out.push(
      `| ${cell(`${p.name.en} \`${p.id}\``)} | ${s.perDay?.toLocaleString('en-US') ?? '—'} | ${s.maxMessageBytes ? mb(s.maxMessageBytes) : '—'} | ${s.savesSentCopy ? 'yes' : '—'} |`,
    );
  }
  out.push('');
  return out;
}

/** Above this many domains a table cell names the first few; the full list follows the table. */
const domainsInCell = 6;

function matching(p: Provider): string {
  const { domains } = p.match;
  const parts =
    domains.length > domainsInCell
      ? [...domains.slice(0, domainsInCell), `and ${domains.length - domainsInCell} more (see below)`]
      : [...domains];
  if (p.match.mxPatterns.length) parts.push(`MX ${p.match.mxPatterns.join(', ')}`);
  return parts.length ? parts.join(', ') : '—';
}

/** Provider names, for the sign-in summary. */
const names = (list: readonly Provider[]) => list.map((p) => p.name.en).join(', ');

/** Who binds how, grouped by sign-in kind, from the catalogue's `signIn` of each provider. */
function signInSummary(list: readonly Provider[]): string[] {
  const real = list.filter((p) => p.id !== 'custom');
  const by = (test: (p: Provider) => boolean) => names(real.filter(test));
  return [
    '## How each mailbox signs in',
    '',
    `- **Sign in with Google (OAuth 2.0)**: ${by((p) => p.signIn.oauth === 'google')}. An admin registers`,
    '  the Google sign-in app once (Settings › Mailboxes › Sign-in apps); each user then signs in with Google',
    '  in the binding wizard. Gmail also takes an app password (2-Step Verification on).',
    `- **Sign in with Microsoft (OAuth 2.0)**: ${by((p) => p.signIn.oauth === 'microsoft')}, after an admin`,
    '  registers the Microsoft sign-in app. Microsoft refuses passwords for IMAP and SMTP, so there is no',
    '  password alternative.',
    `- **App password**: ${by((p) => !p.signIn.oauth && p.signIn.secrets.includes('app_password'))}.`,
    `- **Authorization code (授权码)**: ${by((p) => p.signIn.secrets.includes('authorization_code'))}.`,
    `- **Mailbox password**: ${by((p) => p.signIn.secrets.includes('password'))}; and any other IMAP/SMTP server.`,
    `- **Not yet**: ${by((p) => p.signIn.notYet?.includes('provider_oauth') ?? false)} also offer their own OAuth`,
    '  sign-in, which Tidings does not offer yet: use the app password or password listed for them.',
    '',
    '## Connectors',
    '',
    `- **Microsoft Graph**: ${by((p) => p.protocols?.[0] === 'graph')} by default. The user signs in with`,
    '  Microsoft (the sign-in app asks for Mail.ReadWrite); Tidings keeps each folder in step with delta',
    '  queries and fetches every message as MIME, so the inbox, search and the .eml download work as for',
    '  IMAP. It works where the tenant switched IMAP off. IMAP with the same sign-in stays possible.',
    `- **Exchange Web Services (EWS)**: ${by((p) => p.protocols?.[0] === 'ews')} by default (Exchange Server`,
    '  2016, 2019 and Subscription Edition). The address, the Windows user name (DOMAIN\\user or',
    '  user@domain) and the password; Autodiscover finds the EWS address, or the admin types it. NTLM or',
    '  Basic over HTTPS; a server that allows only Kerberos is not supported. The certificate can be',
    '  pinned as for IMAP. IMAP/SMTP stays possible when the admin prefers it.',
    '- Sending through Graph or EWS is not offered yet: those mailboxes receive and sync only.',
    '- The connection test names the failures admins meet, each with a fix in English and Chinese:',
    '  `autodiscover_not_found`, `autodiscover_redirected`, `ews_disabled`, `ntlm_refused`,',
    '  `access_denied`, `mailbox_move_in_progress`, `server_busy`, `graph_mailbox_not_enabled`, and the',
    '  sign-in failures (`oauth_*`, among them missing admin consent).',
    '',
  ];
}

/** The full domain lists the table cells shorten. */
function domainLists(list: readonly Provider[]): string[] {
  const long = list.filter((p) => p.match.domains.length > domainsInCell);
  if (long.length === 0) return [];
  const out = ['## Mail domains matched', ''];
  for (const p of long) out.push(`- ${cell(p.name.en)} \`${p.id}\`: ${p.match.domains.join(', ')}`);
  out.push('');
  return out;
}

/** docs/compatibility.md, rendered from the catalogue; a unit test keeps the committed file in step. */
export function renderCompatibilityDoc(list: readonly Provider[]): string {
  const out: string[] = [
    '# Mailbox compatibility',
    '',
    '<!-- Generated by `npm run docs:compat` from src/mailboxes/catalogue; do not edit by hand. -->',
    '',
    'When an admin binds a mailbox (邮箱配置), Tidings prefills the server settings from this catalogue,',
    'or finds them by discovery (Thunderbird autoconfig, MX records, RFC 6186 SRV records, Exchange',
    'Autodiscover, and probing common host names), and says where each setting came from.',
    '',
    ...signInSummary(list),
    '## Providers',
    '',
    '| Provider | Kind | Matched by | Servers | Username | Sign-in | Quirks | Before binding | Sources |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const p of list) {
    const name = p.name.en === p.name['zh-CN'] ? p.name.en : `${p.name.en} (${p.name['zh-CN']})`;
    const row = [
      cell(`${name} \`${p.id}\``),
      kindWords[p.kind],
      cell(matching(p)),
      lines(servers(p)),
      p.username === 'email' ? 'full address' : 'part before @',
      cell(describeSignIn(p).en),
      p.quirks.length ? p.quirks.map((q) => quirkWords[q]).join('; ') : '—',
      cell(p.help.en + (p.authHelp ? ` ${p.authHelp.en}` : '')),
      p.sources.map((url, i) => `[${i + 1}](${url.replace(/[|()\s]/g, encodeURIComponent)})`).join(' '),
    ];
    out.push(`| ${row.join(' | ')} |`);
  }
  out.push(
    '',
    'Security: TLS means implicit TLS from the first byte (ports 993 and 465); STARTTLS means the',
    'connection is upgraded before login (ports 587, and Proton Mail Bridge’s 1143 and 1025). Certificates',
    'are always verified; a private one is trusted by pinning its SHA-256 fingerprint.',
    '',
    ...sendingLimits(list),
    ...domainLists(list),
    '## What our tests cover',
    '',
    '- IMAP and SMTP sign-in, sync and sending are tested against a private Dovecot and a local SMTP',
    '  server started by the test harness on loopback addresses.',
    '- Discovery is tested against a local DNS server (MX, SRV, A records) and a local HTTPS server with',
    '  a certificate from a throwaway test CA: autoconfig (both URLs), MX mapping, SRV, Exchange',
    '  Autodiscover (POX), host-name probing and time-outs.',
    '- Microsoft Graph and EWS are tested against local servers the harness starts, built from',
    "  Microsoft's published Graph reference and EWS schema: sign-in, the staged connection test and its",
    '  failure codes, import, changes both ways, throttling. Real Microsoft 365 tenants and Exchange',
    '  servers are not exercised.',
    "- The provider hosts, ports, domains and settings paths above are taken from each provider's",
    "  documentation and from Thunderbird's ISPDB (linked in Sources), and are **not** exercised by our",
    '  tests: the test machines have no internet. For some providers the link is the entry page of the',
    "  provider's help centre.",
    '- Report a provider that behaves differently with the error text shown by 测试连接 (Test connection).',
    '',
  );
  return out.join('\n');
}
