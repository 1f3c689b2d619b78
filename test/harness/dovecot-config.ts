import { existsSync } from 'node:fs';
import path from 'node:path';
import { oauthUsersFile } from './passwd-file.ts';

export interface OAuth2Options {
  /** The provider's token check (OAuthProviderInstance.userinfoUrl). */
  userinfoUrl: string;
  /** SASL mechanisms offered for tokens; default both (as Gmail). Microsoft 365 offers only XOAUTH2. */
  mechanisms?: ReadonlyArray<'xoauth2' | 'oauthbearer'>;
  /**
   * Dovecot's oauth2 `username_format` (default %Lu): both the SASL user and the answer's `email` are
   * expanded with it and must then be equal. `%Ld` compares domains only (app-only tokens, see
   * app-mail-access.ts).
   */
  usernameFormat?: string;
}

export interface DovecotConfigInput {
  dir: string;
  instanceName: string;
  imapsPort: number;
  /** Dovecot's own plain listener; clients reach it through the loopback proxy (see plain-proxy.ts). */
  imapBackendPort: number;
  allowPlaintextAuth: boolean;
  idle: boolean;
  /** Mailboxes given a special-use flag by createFolder, in addition to the default five. */
  extraSpecialUse: ReadonlyMap<string, string>;
  /** When set: XOAUTH2 and OAUTHBEARER, checked by the oauth2 passdb against this userinfo endpoint. */
  oauth2?: OAuth2Options;
  /** See DovecotOptions.connectionLimit. */
  connectionLimit?: number;
}

export const DEFAULT_SPECIAL_USE: ReadonlyArray<readonly [string, string]> = [
  ['Drafts', '\\Drafts'],
  ['Sent', '\\Sent'],
  ['Trash', '\\Trash'],
  ['Junk', '\\Junk'],
  ['Archive', '\\Archive'],
];

const CAPABILITIES_WITHOUT_IDLE = [
  'IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE SORT SORT=DISPLAY THREAD=REFERENCES THREAD=REFS',
  'THREAD=ORDEREDSUBJECT MULTIAPPEND URL-PARTIAL CATENATE UNSELECT CHILDREN NAMESPACE UIDPLUS',
  'LIST-EXTENDED I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH ESORT SEARCHRES WITHIN CONTEXT=SEARCH',
  'LIST-STATUS BINARY MOVE SNIPPET=FUZZY PREVIEW=FUZZY PREVIEW STATUS=SIZE SAVEDATE LITERAL+ NOTIFY',
].join(' ');

const DH_FILE = '/usr/share/dovecot/dh.pem';

function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function oauthMechanisms(oauth2: OAuth2Options | undefined): ReadonlyArray<string> {
  if (!oauth2) return [];
  return oauth2.mechanisms ?? ['xoauth2', 'oauthbearer'];
}

/** Paths of files inside an instance folder that the harness and the config share. */
export function instancePaths(dir: string) {
  return {
    config: path.join(dir, 'dovecot.conf'),
    log: path.join(dir, 'dovecot.log'),
    cert: path.join(dir, 'tls', 'cert.pem'),
    key: path.join(dir, 'tls', 'key.pem'),
    masters: path.join(dir, 'masters'),
    /** Userdb-only entries for users who sign in with a token (no password, so no PLAIN/LOGIN). */
    oauthUsers: oauthUsersFile(dir),
    oauth2: path.join(dir, 'dovecot-oauth2.conf.ext'),
    home: path.join(dir, 'home'),
  };
}

/**
 * Renders a self-contained dovecot.conf (nothing from /etc/dovecot). Nested blocks take one setting
 * per line: Dovecot's parser does not accept `{ a = b }` on one line.
 */
export function renderDovecotConfig(input: DovecotConfigInput): string {
  const p = instancePaths(input.dir);
  const mailboxes = [
    ...DEFAULT_SPECIAL_USE.map(([name, use]) => ({ name, use, auto: true })),
    ...[...input.extraSpecialUse].map(([name, use]) => ({ name, use, auto: false })),
  ];
  /** The users of `file` (password users, or token users), their mail under home/<user>. */
  const passwdFileUserdb = (file: string) => [
    'userdb {',
    '  driver = passwd-file',
    `  args = username_format=%u ${file}`,
    `  default_fields = uid=dovecot gid=dovecot home=${p.home}/%u`,
    '}',
  ];
  const lines = [
    `instance_name = ${input.instanceName}`,
    `base_dir = ${path.join(input.dir, 'run')}`,
    `state_dir = ${path.join(input.dir, 'state')}`,
    `log_path = ${p.log}`,
    'listen = 127.0.0.1',
    'protocols = imap',
    'shutdown_clients = yes',
    // Tests run as root; Dovecot refuses mail access for uids below first_valid_uid.
    'first_valid_uid = 1',
    'mail_uid = dovecot',
    'mail_gid = dovecot',
    'mail_location = maildir:~/Maildir',
    'mail_debug = yes',
    'auth_verbose = yes',
    `auth_mechanisms = ${['plain', 'login', ...oauthMechanisms(input.oauth2)].join(' ')}`,
    // A wrong password in a test should fail at once, not after Dovecot's 2 s anti-brute-force delay.
    'auth_failure_delay = 0',
    'imap_id_log = *',
    // Without IDLE: the full default list minus IDLE (the setting replaces, it cannot subtract).
    ...(input.idle ? [] : [`imap_capability = ${CAPABILITIES_WITHOUT_IDLE}`]),
    `disable_plaintext_auth = ${input.allowPlaintextAuth ? 'no' : 'yes'}`,
    'ssl = yes',
    `ssl_cert = <${p.cert}`,
    `ssl_key = <${p.key}`,
    ...(existsSync(DH_FILE) ? [`ssl_dh = <${DH_FILE}`] : []),
    'auth_master_user_separator = *',
    // The harness logs in as any user through this master user (for APPEND with flags).
    'passdb {',
    '  driver = passwd-file',
    `  args = scheme=SHA256 ${p.masters}`,
    '  master = yes',
    '}',
    'passdb {',
    '  driver = passwd-file',
    `  args = scheme=SHA256 username_format=%u ${path.join(input.dir, 'users')}`,
    '}',
    ...(input.oauth2
      ? [
          // Token logins: the oauth2 passdb asks the provider's userinfo endpoint (see renderOAuth2Config).
          'passdb {',
          '  driver = oauth2',
          `  mechanisms = ${oauthMechanisms(input.oauth2).join(' ')}`,
          `  args = ${p.oauth2}`,
          '}',
        ]
      : []),
    ...passwdFileUserdb(path.join(input.dir, 'users')),
    ...(input.oauth2 ? passwdFileUserdb(p.oauthUsers) : []),
    // Auth penalty: after a failed login Dovecot delays every login from that IP by 2-15 s. Tests
    // fail logins on purpose from 127.0.0.1, so the penalty socket is made unusable (documented way).
    'service anvil {',
    '  unix_listener anvil-auth-penalty {',
    '    mode = 0',
    '  }',
    '}',
    ...manyConnections(input.connectionLimit),
    'service imap-login {',
    ...(input.connectionLimit
      ? // Performance mode: a few login processes each proxy many TLS sessions, instead of one process per session.
        ['  service_count = 0', '  process_min_avail = 2', `  client_limit = ${input.connectionLimit}`]
      : []),
    '  inet_listener imap {',
    '    address = 127.0.0.1',
    `    port = ${input.imapBackendPort}`,
    '  }',
    '  inet_listener imaps {',
    '    address = 127.0.0.1',
    `    port = ${input.imapsPort}`,
    '    ssl = yes',
    '  }',
    '}',
    'namespace inbox {',
    '  inbox = yes',
    '  separator = /',
    ...mailboxes.flatMap((m) => [
      `  mailbox ${quote(m.name)} {`,
      ...(m.auto ? ['    auto = subscribe'] : []),
      `    special_use = ${m.use}`,
      '  }',
    ]),
    '}',
    'protocol imap {',
    '  mail_plugins = $mail_plugins imap_zlib',
    '}',
    '',
  ];
  return lines.join('\n');
}

/** Limits for `limit` open sessions: one imap process each, plus the master's own bookkeeping. */
function manyConnections(limit: number | undefined): string[] {
  if (!limit) return [];
  return [
    `default_process_limit = ${limit + 100}`,
    `default_client_limit = ${2 * limit + 100}`,
    'service imap {',
    `  process_limit = ${limit + 100}`,
    '}',
    // Each IDLE session watches its Maildir with an inotify instance, and Linux allows 128 per user by
    // default (fs.inotify.max_user_instances; every instance here runs as dovecot). A session without one
    // looks for changes every mailbox_idle_check_interval (30 s by default): 1 s keeps new mail prompt.
    'mailbox_idle_check_interval = 1 secs',
  ];
}

/**
 * The oauth2 passdb's file. introspection_mode = auth: Dovecot GETs introspection_url with the token as
 * `Authorization: Bearer`, and the user is the JSON answer's `email` (which must equal the SASL user).
 */
export function renderOAuth2Config(oauth2: OAuth2Options): string {
  return [
    'introspection_mode = auth',
    `introspection_url = ${oauth2.userinfoUrl}`,
    'username_attribute = email',
    ...(oauth2.usernameFormat ? [`username_format = ${oauth2.usernameFormat}`] : []),
    // Always ask: a token's answer is not cached, so a revoked token fails at its next use.
    'force_introspection = yes',
    '',
  ].join('\n');
}
