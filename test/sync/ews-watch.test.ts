import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEwsConnector } from '../../src/connectors/ews/index.ts';
import type { ChangeNotification } from '../../src/connectors/types.ts';
import { startEwsServer, type EwsServerInstance } from '../harness/index.ts';
import { waitFor } from '../support/wait.ts';

const USER = 'watch@contoso.test';
const PASS = 'Watch-Pass-1';

describe('watching an EWS folder', () => {
  let ews: EwsServerInstance;
  const connector = () =>
    createEwsConnector({
      url: ews.url,
      username: USER,
      password: PASS,
      pinnedCertPem: ews.certPem,
      extraCaPems: [],
      allowPlaintext: false,
      watchPollMs: 200,
    });

  beforeAll(async () => {
    ews = await startEwsServer();
    ews.addUser({ email: USER, password: PASS });
  });
  afterAll(() => ews?.stop());

  it.each([
    ['streaming notifications', true],
    ['polled counts where streaming is refused', false],
  ] as const)('reports new mail in the Inbox through %s', async (_how, streaming) => {
    ews.setStreaming(streaming);
    const c = connector();
    await c.connect();
    const inbox = (await c.listFolders()).find((f) => f.role === 'inbox')!;
    const seen: ChangeNotification[] = [];
    const watcher = await c.watch(
      inbox.id,
      (n) => seen.push(n),
      (e) => seen.push({ folderId: `error ${e.code}`, kind: 'unknown' }),
    );
    try {
      expect(ews.streamingConnections()).toBe(streaming ? 1 : 0);
      ews.deliver(USER, 'inbox', `Subject: watch ${streaming}\r\nMessage-ID: <w-${streaming}@x.test>\r\n\r\nhi\r\n`);
      await waitFor('a notification', async () => seen.length > 0, 5_000);
      expect(seen[0]).toEqual({ folderId: inbox.id, kind: streaming ? 'exists' : 'unknown' });
    } finally {
      await watcher.close();
      await c.close();
    }
  });
});
