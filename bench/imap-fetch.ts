/**
 * IMAP fetch throughput: N messages in a harness Dovecot INBOX, downloaded with the connector's
 * fetchMessages (with and without COMPRESS, two batch sizes), and with mbsync as the yardstick.
 * Usage: npx tsx bench/imap-fetch.ts [N=2000] [bodyBytes=4000]
 * Prints figures only. Messages are seeded with `doveadm import` (an IMAP APPEND costs ~30 ms each here).
 */
import { execFile } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { createImapConnector } from '../src/connectors/imap/index.ts';
import { rawMessage } from '../test/support/corpus.ts';
import { settingsFor } from '../test/support/imap.ts';
import { startDovecot } from '../test/harness/index.ts';
import { writeMbsyncConfig } from './mbsync.ts';

const run = promisify(execFile);
const n = Number(process.argv[2] ?? 2000);
const bodyBytes = Number(process.argv[3] ?? 4000);
const USER = 'bench@example.test';
const PASS = 'bench-password';

const dovecot = await startDovecot();
try {
  await dovecot.addUser(USER, PASS);
  const seed = path.join(dovecot.dir, 'seed');
  await Promise.all(['cur', 'new', 'tmp'].map((d) => mkdir(path.join(seed, d), { recursive: true })));
  let totalBytes = 0;
  for (let i = 0; i < n; i++) {
    const raw = rawMessage('bench', i, bodyBytes);
    totalBytes += raw.length;
    await writeFile(path.join(seed, 'cur', `${1_700_000_000 + i}.M${i}P1.bench:2,S`), raw);
  }
  await run('chown', ['-R', 'dovecot:dovecot', seed]);
  await chmod(seed, 0o755);
  const config = path.join(dovecot.dir, 'dovecot.conf');
  // Touch the mailbox first so the user's Maildir exists, then import the seed into INBOX.
  await run('doveadm', ['-c', config, 'mailbox', 'status', '-u', USER, 'messages', 'INBOX']);
  await run('doveadm', ['-c', config, 'import', '-u', USER, `maildir:${seed}:LAYOUT=fs`, '', 'all']);
  const mb = totalBytes / 1024 / 1024;
  console.log(`${n} messages, ${mb.toFixed(1)} MB in INBOX`);

  const ids = Array.from({ length: n }, (_, i) => String(i + 1));
  for (const [label, opts] of [
    ['warm-up (not a figure)', { compression: false, fetchBatchSize: 1000 }],
    ['compress, batch 200', { compression: true, fetchBatchSize: 200 }],
    ['no compress, batch 200', { compression: false, fetchBatchSize: 200 }],
    ['no compress, batch 1000', { compression: false, fetchBatchSize: 1000 }],
    ['compress, batch 200 again', { compression: true, fetchBatchSize: 200 }],
  ] as const) {
    const connector = createImapConnector(settingsFor(dovecot, USER, PASS), opts);
    try {
      await connector.connect();
      const start = performance.now();
      let count = 0;
      for await (const m of connector.fetchMessages('INBOX', ids)) count += m.source.length > 0 ? 1 : 0;
      const s = (performance.now() - start) / 1000;
      console.log(
        `fetchMessages ${label.padEnd(24)} ${count} msgs ${s.toFixed(2)} s  ${(count / s).toFixed(0)} msg/s  ${(mb / s).toFixed(1)} MB/s`,
      );
    } finally {
      await connector.close();
    }
  }

  // Yardstick: mbsync pulling the same INBOX into a local Maildir.
  const rc = await writeMbsyncConfig(
    path.join(dovecot.dir, 'mbsync'),
    { imapsPort: dovecot.imapsPort, certPem: dovecot.certPem, user: USER, password: PASS },
    { fsync: false },
  );
  const start = performance.now();
  try {
    await run('mbsync', ['-c', rc, '-q', 'bench']);
    const s = (performance.now() - start) / 1000;
    console.log(
      `mbsync (yardstick)                   ${n} msgs ${s.toFixed(2)} s  ${(n / s).toFixed(0)} msg/s  ${(mb / s).toFixed(1)} MB/s`,
    );
  } catch (err) {
    console.log(`mbsync failed: ${(err as { stderr?: string }).stderr ?? String(err)}`);
  }
} finally {
  await dovecot.stop();
}
