import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { rmSync } from 'node:fs';
import { HarnessError } from './errors.ts';
import { onProcessExit } from './process-cleanup.ts';
import { runCommand } from './run-command.ts';

export interface IssuedCert {
  certPem: string;
  keyPem: string;
  /** Uppercase hex pairs joined by ':' — the format of Node's `tls` `cert.fingerprint256`. */
  fingerprint256: string;
}

export interface CertRequest {
  commonName: string;
  /** OpenSSL subjectAltName entries, e.g. ['DNS:localhost', 'IP:127.0.0.1']. */
  altNames: string[];
}

export interface TestCa {
  caPem: string;
  issue(opts: CertRequest): Promise<IssuedCert>;
}

// P-256 keys: generated in milliseconds, accepted by Dovecot, Node and every mail client we test.
const KEY_ARGS = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
const DAYS = '7';

/** SHA-256 fingerprint of a PEM certificate in Node's `fingerprint256` format. */
export function fingerprintOf(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256;
}

function checkRequest(opts: CertRequest): void {
  // Values reach an openssl config file and -subj: refuse anything that could break their syntax.
  const unsafe = /[\r\n/,=]/;
  if (unsafe.test(opts.commonName) || opts.altNames.some((n) => /[\r\n,]/.test(n) || !/^(DNS|IP):/.test(n))) {
    throw new HarnessError('CERT_BAD_REQUEST', 'commonName or altNames contain unsupported characters');
  }
}

async function inTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  // Nothing is left on disk between calls: test runners may kill workers without running exit hooks.
  const dir = await mkdtemp(path.join(tmpdir(), 'tidings-cert-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Creates a private certificate authority for this run; `issue` signs server certificates with it. */
export async function createTestCa(): Promise<TestCa> {
  const [caPem, caKey] = await inTempDir(async (dir) => {
    await runCommand(
      'openssl',
      [
        'req',
        '-x509',
        ...KEY_ARGS,
        '-keyout',
        'ca.key',
        '-out',
        'ca.pem',
        '-days',
        DAYS,
        '-subj',
        '/CN=Tidings Test CA',
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign,cRLSign',
      ],
      { cwd: dir },
    );
    return Promise.all([readFile(path.join(dir, 'ca.pem'), 'utf8'), readFile(path.join(dir, 'ca.key'), 'utf8')]);
  });
  let serial = 0;

  async function issue(opts: CertRequest): Promise<IssuedCert> {
    checkRequest(opts);
    serial += 1;
    const ext = [
      'basicConstraints = critical,CA:FALSE',
      'keyUsage = critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage = serverAuth',
      `subjectAltName = ${opts.altNames.join(',')}`,
      '',
    ].join('\n');
    return inTempDir(async (dir) => {
      await writeFile(path.join(dir, 'ca.pem'), caPem);
      await writeFile(path.join(dir, 'ca.key'), caKey, { mode: 0o600 });
      await writeFile(path.join(dir, 'leaf.ext'), ext);
      await runCommand(
        'openssl',
        ['req', '-new', ...KEY_ARGS, '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', `/CN=${opts.commonName}`],
        { cwd: dir },
      );
      await runCommand(
        'openssl',
        [
          'x509',
          '-req',
          '-in',
          'leaf.csr',
          '-CA',
          'ca.pem',
          '-CAkey',
          'ca.key',
          '-set_serial',
          String(Date.now() * 1000 + serial),
          '-days',
          DAYS,
          '-extfile',
          'leaf.ext',
          '-out',
          'leaf.pem',
        ],
        { cwd: dir },
      );
      const [certPem, keyPem] = await Promise.all([
        readFile(path.join(dir, 'leaf.pem'), 'utf8'),
        readFile(path.join(dir, 'leaf.key'), 'utf8'),
      ]);
      return { certPem, keyPem, fingerprint256: fingerprintOf(certPem) };
    });
  }

  return { caPem, issue };
}

/** Creates a self-signed server certificate (it is its own trust root: pass it as `ca`). */
export async function createSelfSigned(opts: CertRequest): Promise<IssuedCert> {
  checkRequest(opts);
  return inTempDir(async (dir) => {
    await runCommand(
      'openssl',
      [
        'req',
        '-x509',
        ...KEY_ARGS,
        '-keyout',
        'key.pem',
        '-out',
        'cert.pem',
        '-days',
        DAYS,
        '-subj',
        `/CN=${opts.commonName}`,
        '-addext',
        `subjectAltName=${opts.altNames.join(',')}`,
      ],
      { cwd: dir },
    );
    const [certPem, keyPem] = await Promise.all([
      readFile(path.join(dir, 'cert.pem'), 'utf8'),
      readFile(path.join(dir, 'key.pem'), 'utf8'),
    ]);
    return { certPem, keyPem, fingerprint256: fingerprintOf(certPem) };
  });
}

let runCa: Promise<TestCa> | undefined;

/** One CA shared by every ca-signed server of this process, so a test trusts a single `caPem`. */
export function sharedTestCa(): Promise<TestCa> {
  runCa ??= createTestCa();
  return runCa;
}

let runCaFile: Promise<string> | undefined;

/** `sharedTestCa()`'s certificate in a file (TIDINGS_EXTRA_CA_FILE / extraCaFile), removed when the process exits. */
export function sharedTestCaFile(): Promise<string> {
  runCaFile ??= (async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tidings-test-ca-'));
    onProcessExit(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'ca.pem');
    await writeFile(file, (await sharedTestCa()).caPem);
    return file;
  })();
  return runCaFile;
}

/** The certificate every harness server presents: valid for localhost and 127.0.0.1. */
export async function serverCertificate(tls: 'ca-signed' | 'self-signed'): Promise<IssuedCert & { caPem?: string }> {
  const request = { commonName: 'localhost', altNames: ['DNS:localhost', 'IP:127.0.0.1'] };
  if (tls === 'self-signed') return createSelfSigned(request);
  const ca = await sharedTestCa();
  return { ...(await ca.issue(request)), caPem: ca.caPem };
}
