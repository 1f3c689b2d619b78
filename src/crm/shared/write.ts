import type { Kysely, Transaction } from 'kysely';
import { type Actor, type AuditLine, auditedWrite } from '../../audit/index.ts';
import type { Database } from '../../db/schema.ts';
import type { EventBus } from '../../events/index.ts';
import { type CrmEvent, emitCrmEvents } from '../events.ts';

/** What every CRM command needs besides its input: the database and, where there is one, the event bus. */
export interface CrmDeps {
  db: Kysely<Database>;
  events?: EventBus | undefined;
}

export type { Actor } from '../../audit/index.ts';

/** A write's result, its audit line (the actor and ip are added) and the events it wants announced. */
export interface WriteOutcome<T> {
  result: T;
  audit: AuditLine;
  events?: CrmEvent[];
}

/**
 * The one shape of a CRM write: `work` and its audit line commit together, and the events go out only
 * after the commit, so a listener never sees a record that a rollback took back.
 */
export async function commitWrite<T>(
  deps: CrmDeps,
  actor: Actor,
  work: (trx: Transaction<Database>) => Promise<WriteOutcome<T>>,
): Promise<T> {
  const outcome = await auditedWrite(deps.db, actor, async (trx) => {
    const done = await work(trx);
    return { result: done, audit: done.audit };
  });
  emitCrmEvents(deps.events, outcome.events ?? []);
  return outcome.result;
}

/** The audit line of a change: which fields the request named (never their values). */
export function changeAudit(what: string, id: string, input: object): WriteOutcome<unknown>['audit'] {
  return { action: `${what}.update`, targetType: what, targetId: id, detail: { changed: Object.keys(input) } };
}
