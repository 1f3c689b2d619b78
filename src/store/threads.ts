import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import {
  normaliseMessageId,
  normaliseSubject,
  resolveThread,
  sortDate,
  threadLookupKeys,
  type ParsedMessage,
  type SubjectCandidate,
  type ThreadInput,
} from '../ingest/index.ts';

export interface ThreadSubject {
  parsed: ParsedMessage;
  participants: string[];
  gmailThreadId: string | null;
  /** The server's received date: a message threads by the date it sorts by (ingest/plausible-date.ts). */
  receivedAt?: Date | null;
}

function inputOf(m: ThreadSubject): ThreadInput {
  return {
    messageId: m.parsed.messageId,
    inReplyTo: m.parsed.inReplyTo,
    references: m.parsed.references,
    subject: m.parsed.subject,
    date: sortDate(m.parsed.date, m.receivedAt ?? null),
    participants: m.participants,
    gmailThreadId: m.gmailThreadId,
    contentHash: m.parsed.sha256,
  };
}

/**
 * Thread ids for a batch of messages, with a fixed number of queries whatever the batch size: one
 * lookup of known Message-IDs, one of subject candidates, one upsert of new threads, one insert of refs.
 * Messages in the batch thread with each other (a reply and its parent arriving together).
 */
export async function assignThreads(trx: Transaction<Database>, mailboxId: string, items: ThreadSubject[]): Promise<string[]> {
  if (items.length === 0) return [];
  const inputs = items.map(inputOf);
  const keys = inputs.map((i) => threadLookupKeys(i));
  const allIds = [...new Set(keys.flatMap((k) => k.messageIds))];
  const subjects = [...new Set(keys.map((k) => k.normalisedSubject).filter((s): s is string => !!s))];

  // Values are real thread ids or `new:<threadKey>` placeholders until the upsert below.
  const byMessageId = new Map<string, string>();
  if (allIds.length) {
    const rows = await trx
      .selectFrom('thread_refs')
      .select(['message_id', 'thread_id'])
      .where('mailbox_id', '=', mailboxId)
      .where('message_id', 'in', allIds)
      .execute();
    for (const r of rows) byMessageId.set(r.message_id, r.thread_id);
  }
  const bySubject = new Map<string, SubjectCandidate[]>();
  if (subjects.length) {
    const rows = await trx
      .selectFrom('messages as m')
      .innerJoin('threads as t', 't.id', 'm.thread_id')
      .select(['m.thread_id', 'm.participants', 'm.date', 't.subject_norm'])
      .where('t.mailbox_id', '=', mailboxId)
      .where('t.subject_norm', 'in', subjects)
      .orderBy('m.date', 'desc')
      .limit(1000)
      .execute();
    for (const r of rows) {
      const list = bySubject.get(r.subject_norm) ?? [];
      list.push({ threadId: r.thread_id!, participants: r.participants, date: r.date ? new Date(r.date) : null });
      bySubject.set(r.subject_norm, list);
    }
  }
  // Oldest first, so a parent in the same batch is seen before its replies.
  const order = inputs.map((_, i) => i).sort((a, b) => (inputs[a].date?.getTime() ?? 0) - (inputs[b].date?.getTime() ?? 0));
  const chosen: string[] = new Array(items.length);
  const newThreads = new Map<string, { subject: string | null; subjectNorm: string; date: Date | null }>();
  for (const i of order) {
    const input = inputs[i];
    const norm = normaliseSubject(input.subject);
    const decision = resolveThread(input, {
      messageIds: byMessageId,
      subjectCandidates: bySubject.get(keys[i].normalisedSubject ?? '') ?? [],
    });
    let id: string;
    if (decision.kind === 'existing') id = decision.threadId;
    else {
      id = `new:${decision.threadKey}`;
      if (!newThreads.has(decision.threadKey))
        newThreads.set(decision.threadKey, { subject: input.subject, subjectNorm: norm, date: input.date });
    }
    chosen[i] = id;
    for (const mid of keys[i].messageIds) if (!byMessageId.has(mid)) byMessageId.set(mid, id);
    const list = bySubject.get(norm) ?? [];
    list.push({ threadId: id, participants: input.participants, date: input.date });
    bySubject.set(norm, list);
  }
  const realIds = new Map<string, string>();
  if (newThreads.size) {
    const rows = await trx
      .insertInto('threads')
      .values(
        [...newThreads].map(([key, t]) => ({
          mailbox_id: mailboxId,
          thread_key: key,
          subject: t.subject,
          subject_norm: t.subjectNorm,
          last_message_at: t.date,
        })),
      )
      // A replay finds the thread it made before: the key is derived from the message, not random.
      .onConflict((oc) => oc.columns(['mailbox_id', 'thread_key']).doUpdateSet({ thread_key: sql`excluded.thread_key` }))
      .returning(['id', 'thread_key'])
      .execute();
    for (const r of rows) realIds.set(`new:${r.thread_key}`, r.id);
  }
  const resolve = (id: string) => realIds.get(id) ?? id;
  const refs = new Map<string, string>();
  inputs.forEach((input, i) => {
    for (const raw of [input.messageId, input.inReplyTo, ...input.references]) {
      const mid = raw ? normaliseMessageId(raw) : '';
      if (mid && !refs.has(mid)) refs.set(mid, resolve(byMessageId.get(mid) ?? chosen[i]));
    }
  });
  if (refs.size) {
    await trx
      .insertInto('thread_refs')
      .values([...refs].map(([message_id, thread_id]) => ({ mailbox_id: mailboxId, message_id, thread_id })))
      .onConflict((oc) => oc.columns(['mailbox_id', 'message_id']).doNothing())
      .execute();
  }
  return chosen.map(resolve);
}
