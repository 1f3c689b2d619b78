import fs from 'node:fs/promises';
import path from 'node:path';

export interface MbsyncTarget {
  imapsPort: number;
  certPem: string;
  user: string;
  password: string;
}

/**
 * Writes an mbsync (isync) configuration in `dir` that pulls the target's INBOX into `dir`/maildir, the
 * benches' raw-speed yardstick, and returns its path. `fsync: false` measures the network side only, as
 * the IMAP fetch bench does; `stateDir` keeps mbsync's sync state apart from the maildir.
 */
export async function writeMbsyncConfig(
  dir: string,
  target: MbsyncTarget,
  opts: { fsync?: boolean; stateDir?: string } = {},
): Promise<string> {
  const maildir = path.join(dir, 'maildir');
  const certFile = path.join(dir, 'mbsync-cert.pem');
  await fs.mkdir(maildir, { recursive: true });
  if (opts.stateDir) await fs.mkdir(opts.stateDir, { recursive: true });
  await fs.writeFile(certFile, target.certPem);
  const rc = [
    ...(opts.fsync === false ? ['FSync no', ''] : []),
    'IMAPAccount bench',
    'Host localhost',
    `Port ${target.imapsPort}`,
    `User ${target.user}`,
    `Pass ${target.password}`,
    'SSLType IMAPS',
    `CertificateFile ${certFile}`,
    '',
    'IMAPStore remote',
    'Account bench',
    '',
    'MaildirStore local',
    `Path ${maildir}/`,
    `Inbox ${maildir}/INBOX`,
    '',
    'Channel bench',
    'Far :remote:',
    'Near :local:',
    'Patterns INBOX',
    'Create Near',
    'Sync Pull',
    `SyncState ${opts.stateDir ? `${opts.stateDir}/` : '*'}`,
    '',
  ].join('\n');
  const file = path.join(dir, 'mbsyncrc');
  await fs.writeFile(file, rc, { mode: 0o600 });
  return file;
}
