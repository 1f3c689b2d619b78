/**
 * The Graph run of bench:sync: the same messages in a Microsoft 365 mailbox of the Graph harness server
 * (tokens from the local Microsoft), imported by the sync engine over Microsoft Graph on a fresh database.
 * The harness server runs in this process, so it shares the CPU with Tidings: the figure is a lower bound
 * of what the connector does against a server on another machine.
 */
import { bindGraphMailbox, startGraphWorld } from '../test/support/graph-mailbox.ts';
import { insertUser } from '../test/support/rows.ts';
import { timeInProcessImport } from './in-process-import.ts';

const USER = 'bench@contoso.example';

export interface GraphImportResult {
  seconds: number;
  firstStoredAfter: number;
  requests: number;
  maxInFlight: number;
}

export async function graphImport(opts: {
  kind: 'postgres' | 'pglite';
  n: number;
  work: string;
  message: (i: number) => Buffer;
}): Promise<GraphImportResult> {
  const world = await startGraphWorld(USER);
  try {
    for (let i = 0; i < opts.n; i++) world.graph.deliver(USER, 'inbox', opts.message(i), { isRead: i % 4 === 0 });
    const timed = await timeInProcessImport({
      name: 'graph',
      kind: opts.kind,
      work: opts.work,
      n: opts.n,
      bind: async (db, vault) => bindGraphMailbox(db, vault, world, { ownerUserId: await insertUser(db), email: USER }),
    });
    return { ...timed, requests: world.graph.requests.length, maxInFlight: world.graph.maxInFlight };
  } finally {
    await world.stop();
  }
}
