import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { IncomingMessage } from '../store/batch.ts';
import { unwrapForward } from './unwrap.ts';

/** Parses a source as the sync engine does (worker pool, blobs kept) into what the store takes. */
export type Reparse = (source: Buffer) => Promise<Pick<IncomingMessage, 'parsed' | 'blobLocations'>>;

/** A stored message's raw source (the blob store's get). */
export type ReadSource = (sha256: string) => Promise<Buffer>;

/** What the sync engine applies to each message of a drop-box mailbox before storing it. */
export type DropBoxRewrite = (message: IncomingMessage, source: Buffer, reparse: Reparse) => Promise<IncomingMessage>;

/**
 * The Tidings user who sent `address`: one whose sign-in email it is, or who bound a mailbox with it
 * (a salesperson forwarding from their own bound mailbox). Inactive users log nothing.
 */
export async function userForSender(db: Kysely<Database>, address: string): Promise<string | null> {
  const row = await db
    .selectFrom('users as u')
    .select('u.id')
    .where('u.active', '=', true)
    .where((eb) =>
      eb.or([
        eb(sql`lower(u.email)`, '=', address),
        eb.exists(
          eb
            .selectFrom('mailboxes as mb')
            .select('mb.id')
            .whereRef('mb.owner_user_id', '=', 'u.id')
            .where(sql`lower(mb.email)`, '=', address)
            .where('mb.drop_box', '=', false),
        ),
      ]),
    )
    .orderBy(sql`lower(u.email) = ${address}`, 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.id ?? null;
}

/**
 * The drop box's rule for one arriving message. From a Tidings user: a forward is replaced by the
 * original it carries, a message that forwards nothing (the user wrote to a customer and BCC'd the
 * drop box) is kept as it is, and either is attributed to that user. From anyone else: kept as it is,
 * attributed to no one and not unwrapped, so a stranger who learns the address cannot put words in a
 * customer's mouth on a timeline (docs/drop-box.md).
 */
export function dropBoxRewrite(db: Kysely<Database>, mailboxId: string, readSource: ReadSource): DropBoxRewrite {
  return async (message, source, reparse) => {
    const sender = message.parsed.from[0]?.address;
    const userId = sender ? await userForSender(db, sender) : null;
    if (!userId) return message;
    const original = unwrapForward(source, message.parsed.text);
    if (!original) return { ...message, loggedBy: userId };
    let parsed = await reparse(original.source);
    // Logged before in another form (inline once, as an attachment now): the source stored first is
    // taken again, so the store merges the two into one message (it keys messages by their source).
    const stored = await sameOriginal(db, mailboxId, parsed.parsed);
    if (stored && stored !== parsed.parsed.sha256) parsed = await reparse(await readSource(stored));
    return { ref: message.ref, parsed: parsed.parsed, blobLocations: parsed.blobLocations, loggedBy: userId };
  };
}

/** Minutes-precise date lines (Gmail, QQ) lose the seconds the original had. */
const SAME_TIME_MS = 60_000;

/** The source hash of a message already in the drop box from the same sender, with the same subject, sent within a minute. */
async function sameOriginal(db: Kysely<Database>, mailboxId: string, p: IncomingMessage['parsed']): Promise<string | null> {
  const from = p.from[0]?.address;
  if (!from || !p.date) return null;
  const row = await db
    .selectFrom('messages')
    .select('raw_sha256')
    .where('mailbox_id', '=', mailboxId)
    .where('logged_by_user_id', 'is not', null)
    .where('header_date', '>=', new Date(p.date.getTime() - SAME_TIME_MS))
    .where('header_date', '<=', new Date(p.date.getTime() + SAME_TIME_MS))
    .where(sql<boolean>`coalesce(subject, '') = ${p.subject ?? ''}`)
    .where(sql<boolean>`"from"->0->>'address' = ${from}`)
    .orderBy('created_at')
    .limit(1)
    .executeTakeFirst();
  return row?.raw_sha256 ?? null;
}
