/**
 * Bounces: delivery status notifications (RFC 3464 and the common non-standard shapes) read from synced
 * mail, linked to the message and outbox row they are about, and the recipient's address marked bouncing.
 */
export { parseDsn, type DsnAction, type DsnRecipient, type DsnReport, type DsnShape } from './dsn-parser.ts';
export { startBounceWatcher, type BounceWatcher } from './watcher.ts';
export { bounceFacts, bounceMarksFor, withBounceMarks, type BounceFacts, type BounceMark, type BounceView } from './queries.ts';
