// Started by harness.test.ts as a separate process: starts Dovecot, reports where, then dies by
// SIGKILL (no exit hooks run) to prove the watchdog still stops Dovecot and removes its folder.
import { startDovecot } from './dovecot.ts';

const dovecot = await startDovecot();
process.stdout.write(`${JSON.stringify({ dir: dovecot.dir, imapsPort: dovecot.imapsPort, imapPort: dovecot.imapPort })}\n`, () => {
  process.kill(process.pid, 'SIGKILL');
});
