import { randomBytes } from 'node:crypto';
import { appendFile, chmod, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { serverCertificate } from './certs.ts';
import { DEFAULT_SPECIAL_USE, instancePaths, type OAuth2Options, renderDovecotConfig, renderOAuth2Config } from './dovecot-config.ts';
import { launchDovecot, type MasterProcess } from './dovecot-process.ts';
import { HarnessError } from './errors.ts';
import { withMasterSession } from './imap-admin.ts';
import { addPasswdUser, hasPasswdUser, passwdLine, setPasswdUser, userdbLine, usersFile } from './passwd-file.ts';
import { startPlainProxy } from './plain-proxy.ts';
import { freePort, waitForPortClosed } from './ports.ts';
import { onProcessExit } from './process-cleanup.ts';
import { runCommand } from './run-command.ts';

export interface DovecotOptions {
  /** Default 'self-signed'; 'ca-signed' uses a certificate from the run's TestCa. */
  tls?: 'ca-signed' | 'self-signed';
  /** Default false: plaintext LOGIN/AUTH is refused on the plain port until STARTTLS. */
  allowPlaintextAuth?: boolean;
  /** Default true; false removes IDLE from the advertised capabilities. */
  idle?: boolean;
  /**
   * Token sign-in (AUTHENTICATE XOAUTH2 / OAUTHBEARER) checked against a provider's userinfo endpoint
   * (`OAuthProviderInstance.userinfoUrl`); token users are added with `addOAuthUser`.
   */
  oauth2?: OAuth2Options;
  /**
   * Open IMAP connections the instance must take at once (default: Dovecot's own limits, about 100 TLS
   * logins). Benchmarks with hundreds of mailboxes raise it.
   */
  connectionLimit?: number;
}

export interface DovecotInstance {
  host: '127.0.0.1';
  /** Implicit TLS. */
  imapsPort: number;
  /** Plain IMAP offering STARTTLS. */
  imapPort: number;
  certPem: string;
  caPem?: string;
  fingerprint256: string;
  /** The instance folder (config, log, mail). */
  dir: string;
  addUser(email: string, password: string): Promise<void>;
  /** Many users at once: one wait for Dovecot to see them all, not one per user. */
  addUsers(users: ReadonlyArray<{ email: string; password: string }>): Promise<void>;
  /** Changes a user's password on the server: logins with the old one are refused from then on. */
  setPassword(email: string, password: string): Promise<void>;
  /** A user who signs in with a token only (needs `oauth2`): a userdb entry, no password. */
  addOAuthUser(email: string): Promise<void>;
  /** The userinfo endpoint token logins are checked against, when `oauth2` was given. */
  oauth2?: OAuth2Options;
  append(email: string, folder: string, raw: string | Buffer, flags?: string[]): Promise<void>;
  createFolder(email: string, folder: string, specialUse?: string): Promise<void>;
  deleteFolder(email: string, folder: string): Promise<void>;
  rotateCertificate(): Promise<string>;
  /**
   * Disconnects the user's sessions (`doveadm kick`), as Microsoft 365 does when the token a session
   * signed in with expires ("* BYE Session invalidated - AccessTokenExpired"): clients must sign in again.
   */
  kick(email: string): Promise<void>;
  restart(): Promise<void>;
  readLog(): Promise<string>;
  stop(): Promise<void>;
}

const MASTER_USER = 'harness';

async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

/** Fingerprint of the certificate served on `port`, trusting only `ca`; undefined if not trusted. */
function servedFingerprint(port: number, ca: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = tls.connect({ host: '127.0.0.1', port, ca: [ca], timeout: 2_000 });
    socket.on('secureConnect', () => {
      const fp = socket.getPeerCertificate().fingerprint256;
      socket.destroy();
      resolve(fp);
    });
    socket.on('timeout', () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.on('error', () => resolve(undefined));
  });
}

async function poll(what: string, check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new HarnessError('DOVECOT_TIMEOUT', `timed out waiting for ${what}`);
}

let installed: Promise<void> | undefined;

/** Fails once, clearly, when the Debian package is missing (rather than at a later chown). */
function checkInstalled(): Promise<void> {
  installed ??= runCommand('dovecot', ['--version']).then(
    () => undefined,
    (cause: unknown) => {
      installed = undefined;
      throw new HarnessError('DOVECOT_NOT_INSTALLED', 'dovecot not found: apt-get install -y dovecot-imapd', { cause });
    },
  );
  return installed;
}

/** Starts a private Dovecot on free loopback ports; call `stop()` when done (also done at exit). */
export async function startDovecot(opts: DovecotOptions = {}): Promise<DovecotInstance> {
  await checkInstalled();
  const tlsMode = opts.tls ?? 'self-signed';
  // Short prefix: Dovecot's unix sockets live under base_dir and socket paths are limited to 108 bytes.
  const dir = await mkdtemp(path.join(tmpdir(), 'tdv-'));
  let master: MasterProcess | undefined;
  const unregister = onProcessExit(() => {
    master?.killNow();
    rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
  });
  const p = instancePaths(dir);
  const configInput = {
    dir,
    instanceName: `tidings-${path.basename(dir)}`,
    imapsPort: 0,
    imapBackendPort: 0,
    allowPlaintextAuth: opts.allowPlaintextAuth ?? false,
    idle: opts.idle ?? true,
    extraSpecialUse: new Map<string, string>(),
    oauth2: opts.oauth2,
    connectionLimit: opts.connectionLimit,
  };
  let cert = await serverCertificate(tlsMode);
  const masterPassword = randomBytes(18).toString('base64url');
  let proxy: Awaited<ReturnType<typeof startPlainProxy>> | undefined;

  async function writeCert(): Promise<void> {
    // Write then rename, so a reloading Dovecot never reads a half-written key.
    await writeFile(`${p.cert}.new`, cert.certPem, { mode: 0o600 });
    await writeFile(`${p.key}.new`, cert.keyPem, { mode: 0o600 });
    await rename(`${p.cert}.new`, p.cert);
    await rename(`${p.key}.new`, p.key);
  }
  const writeConfig = (): Promise<void> => writeFile(p.config, renderDovecotConfig(configInput));
  const launch = async (): Promise<void> => {
    master = await launchDovecot({
      configPath: p.config,
      ports: [configInput.imapsPort, configInput.imapBackendPort],
      dir,
    });
  };
  const trustRoot = (): string => cert.caPem ?? cert.certPem;
  const EX_TEMPFAIL = 75;
  const doveadm = async (args: string[], input?: string | Buffer): Promise<string> => {
    // After a reload (SIGHUP) Dovecot replaces its auth process and re-creates its sockets. A doveadm
    // run in that gap fails before touching any mail, with EX_TEMPFAIL (75) and "connect(...auth-userdb)
    // failed", "Disconnected unexpectedly" or "write(auth socket) failed". Retry EX_TEMPFAIL only, up to 10 s.
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await runCommand('doveadm', ['-c', p.config, ...args], { input });
      } catch (err) {
        const transient = err instanceof HarnessError && err.exitCode === EX_TEMPFAIL;
        if (attempt >= 100 || !transient) throw err;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  };

  const waitForUser = async (email: string): Promise<void> => {
    // Dovecot's auth process looks at the users file at most once a second: a user added within the
    // second of an earlier lookup is unknown until the next one ("User doesn't exist"). Wait for it.
    for (const started = Date.now(); ; ) {
      try {
        await doveadm(['user', email]);
        return;
      } catch (err) {
        if (Date.now() - started > 5_000) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };
  const addUsers = async (users: ReadonlyArray<{ email: string; password: string }>): Promise<void> => {
    for (const u of users) await addPasswdUser(usersFile(dir), u.email, u.password);
    const last = users.at(-1);
    if (last) await waitForUser(last.email);
  };
  const masterSession = <T>(user: string, fn: Parameters<typeof withMasterSession<T>>[1]): Promise<T> =>
    withMasterSession({ port: configInput.imapsPort, ca: [trustRoot()], user, masterUser: MASTER_USER, masterPassword }, fn);

  try {
    // Dovecot's auth and mail processes run as other users: the folder must be readable by them.
    await chmod(dir, 0o755);
    await Promise.all([mkdir(path.join(dir, 'tls'), { mode: 0o700 }), mkdir(p.home)]);
    await runCommand('chown', ['dovecot:dovecot', p.home]);
    await writeCert();
    await writeFile(p.masters, passwdLine(MASTER_USER, masterPassword), { mode: 0o644 });
    await writeFile(usersFile(dir), '', { mode: 0o644 });
    if (opts.oauth2) {
      await writeFile(p.oauthUsers, '', { mode: 0o644 });
      await writeFile(p.oauth2, renderOAuth2Config(opts.oauth2), { mode: 0o644 });
    }
    const [imapsPort, backendPort, imapPort] = await distinctFreePorts(3);
    configInput.imapsPort = imapsPort;
    configInput.imapBackendPort = backendPort;
    await writeConfig();
    proxy = await startPlainProxy(imapPort, backendPort);
    await launch();
  } catch (err) {
    master?.killNow();
    await proxy?.close();
    await rm(dir, { recursive: true, force: true });
    unregister();
    throw err;
  }

  let stopping: Promise<void> | undefined;
  const instance: DovecotInstance = {
    host: '127.0.0.1',
    imapsPort: configInput.imapsPort,
    imapPort: proxy.port,
    certPem: cert.certPem,
    caPem: cert.caPem,
    fingerprint256: cert.fingerprint256,
    dir,

    oauth2: opts.oauth2,
    addUser: (email, password) => addUsers([{ email, password }]),
    addUsers,
    async setPassword(email, password) {
      await setPasswdUser(usersFile(dir), email, password);
      // Dovecot notices the file's change at its next lookup; kick open sessions so they sign in again.
      await doveadm(['kick', email]).catch(() => undefined);
    },
    async addOAuthUser(email) {
      if (!opts.oauth2) throw new HarnessError('DOVECOT_NO_OAUTH2', 'start Dovecot with { oauth2: { userinfoUrl } } to add token users');
      if (await hasPasswdUser(p.oauthUsers, email)) throw new HarnessError('USER_EXISTS', `user ${email} already exists`);
      await appendFile(p.oauthUsers, userdbLine(email), { mode: 0o644 });
      await waitForUser(email);
    },
    async append(email, folder, raw, flags) {
      if (!flags || flags.length === 0) {
        // Fast path: no network, no login; Dovecot's IDLE sessions still see the new message.
        await doveadm(['save', '-u', email, '-m', folder], raw);
        return;
      }
      await masterSession(email, async (client) => {
        await client.append(folder, raw, flags);
      });
    },

    async createFolder(email, folder, specialUse) {
      // The use the config gives this folder now: reload only to change it.
      const configured = configInput.extraSpecialUse.get(folder) ?? DEFAULT_SPECIAL_USE.find(([name]) => name === folder)?.[1];
      if (specialUse !== undefined && configured !== specialUse) {
        // Dovecot 2.3 takes SPECIAL-USE only from its config (no CREATE USE, read-only attribute):
        // add a mailbox block for this name and reload.
        configInput.extraSpecialUse.set(folder, specialUse);
        await writeConfig();
        master?.signal('SIGHUP');
      }
      await doveadm(['mailbox', 'create', '-s', '-u', email, folder]);
      if (specialUse === undefined) return;
      await poll(`special-use ${specialUse} on ${folder}`, () =>
        masterSession(email, async (client) => {
          const entry = (await client.list()).find((m) => m.path === folder);
          const wanted = specialUse.toLowerCase();
          return [...(entry?.flags ?? [])].some((flag) => flag.toLowerCase() === wanted);
        }),
      );
    },

    async kick(email) {
      await doveadm(['kick', email]);
    },

    async deleteFolder(email, folder) {
      await doveadm(['mailbox', 'delete', '-s', '-u', email, folder]);
    },

    async rotateCertificate() {
      cert = await serverCertificate(tlsMode);
      await writeCert();
      master?.signal('SIGHUP');
      const expected = cert.fingerprint256;
      await poll(
        'the new certificate to be served',
        async () => (await servedFingerprint(configInput.imapsPort, trustRoot())) === expected,
      );
      instance.certPem = cert.certPem;
      instance.caPem = cert.caPem;
      instance.fingerprint256 = expected;
      return expected;
    },

    async restart() {
      if (stopping) throw new HarnessError('DOVECOT_STOPPED', 'cannot restart a stopped Dovecot');
      await master?.stop();
      master = undefined;
      await Promise.all([waitForPortClosed(configInput.imapsPort, 3_000), waitForPortClosed(configInput.imapBackendPort, 3_000)]);
      await launch();
    },

    async readLog() {
      try {
        return await readFile(p.log, 'utf8');
      } catch (cause) {
        if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return '';
        throw cause;
      }
    },

    stop() {
      stopping ??= (async () => {
        await master?.stop();
        master = undefined;
        await proxy?.close();
        await rm(dir, { recursive: true, force: true, maxRetries: 3 });
        unregister();
      })();
      return stopping;
    },
  };
  return instance;
}
