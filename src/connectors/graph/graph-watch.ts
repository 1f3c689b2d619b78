import { pollingWatch } from '../poll-watch.ts';
import type { ChangeListener, ChangeNotification, Watcher, WatchFailureListener } from '../types.ts';
import type { GraphClient } from './graph-client.ts';
import { folderTotal, parseDeltaPage } from './graph-delta.ts';

const MAX_PAGES_PER_POLL = 50;

/**
 * Real time without a public https address for change notifications: the folder's delta is asked every
 * `intervalMs` from the last deltaLink the connector saw (a delta token can be used again, so the
 * engine's own cursor is untouched). Without such a link the folder's item count is compared instead.
 */
export function pollFolder(
  client: GraphClient,
  userPath: string,
  folderId: string,
  /** The newest deltaLink the connector's own rounds reached for this folder, if any. */
  latestLink: () => string | null,
  intervalMs: number,
  onChange: ChangeListener,
  onError: WatchFailureListener,
): Watcher {
  let link = latestLink();
  let lastTotal: number | null = null;

  const poll = async (): Promise<void> => {
    // After a 410 the engine's full round made a new sync state: carry on from there.
    link ??= latestLink();
    if (link) {
      const kinds = new Set<ChangeNotification['kind']>();
      let next: string | null = link;
      for (let pages = 0; next && pages < MAX_PAGES_PER_POLL; pages++) {
        const { status, json } = await client.json('GET', next, {
          operation: 'watch a folder',
          allow: [410],
          notFound: 'folder_not_found',
          maxPageSize: 200,
        });
        if (status === 410) {
          // The engine's own round will find the same and list the folder again.
          link = null;
          lastTotal = null;
          kinds.add('unknown');
          break;
        }
        const page = parseDeltaPage(json);
        if (page.refs.length) kinds.add('exists');
        if (page.removed.length) kinds.add('expunge');
        if (page.deltaLink) link = client.url(page.deltaLink);
        next = page.nextLink;
      }
      for (const kind of kinds) onChange({ folderId, kind });
      return;
    }
    const total = await folderTotal(client, userPath, folderId);
    // The first count has nothing to compare with: a round then makes sure nothing slipped by.
    if (total !== lastTotal) onChange({ folderId, kind: lastTotal === null ? 'unknown' : total > lastTotal ? 'exists' : 'expunge' });
    lastTotal = total;
  };

  return pollingWatch(intervalMs, poll, onError, 'Graph watch');
}
