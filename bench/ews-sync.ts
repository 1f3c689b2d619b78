import { startEwsServer } from '../test/harness/index.ts';
import { insertEwsMailbox } from '../test/support/ews.ts';
import { insertUser } from '../test/support/rows.ts';
import { timeInProcessImport } from './in-process-import.ts';

/**
 * The engine's import of an Exchange mailbox over EWS (the harness server, NTLM, GetItem MimeContent),
 * the same messages as the IMAP run: seconds until every message is stored, in this process.
 */
export async function ewsEngineImport(opts: {
  kind: string;
  work: string;
  messages: Buffer[];
}): Promise<{ seconds: number; bytes: number }> {
  const ews = await startEwsServer();
  try {
    const email = 'bench@contoso.test';
    const login = { email, username: 'CONTOSO\\bench', password: 'bench-password-1' };
    ews.addUser(login);
    for (const [i, raw] of opts.messages.entries()) ews.deliver(email, 'inbox', raw, { isRead: i % 4 === 0, event: false });
    const { seconds } = await timeInProcessImport({
      name: 'tidings-ews',
      kind: opts.kind,
      work: opts.work,
      n: opts.messages.length,
      bind: async (db, vault) => {
        await insertEwsMailbox(db, vault, ews, { ownerUserId: await insertUser(db), ...login });
        return {};
      },
    });
    return { seconds, bytes: opts.messages.reduce((n, m) => n + m.length, 0) };
  } finally {
    await ews.stop();
  }
}
