import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { CrmError } from '../errors.ts';
import { assertExists, resolveOwner } from '../shared/access.ts';
import { editableRecord } from '../shared/records.ts';
import { type Actor, changeAudit, commitWrite, type CrmDeps } from '../shared/write.ts';
import type { ActivityKind } from '../tables.ts';
import type { ActivityView } from './presenter.ts';
import { activityRecord } from './record.ts';
import { type ActivityWrite, findActivity, insertActivity, updateActivity } from './repository.ts';

/** An activity's fields as a write gives them; `ownerId` is resolved to the owner here. */
export type ActivityFields = Omit<ActivityWrite, 'kind' | 'ownerUserId'> & { ownerId?: string | undefined };

/** Task fields belong to tasks, call fields to calls: a note with a due date is a mistake worth a 422. */
const onlyFor: Record<string, ActivityKind> = {
  dueAt: 'task',
  reminderAt: 'task',
  doneAt: 'task',
  callDurationSeconds: 'call',
  callDirection: 'call',
};

function checkKind(kind: ActivityKind, fields: ActivityFields): void {
  for (const [field, owner] of Object.entries(onlyFor)) {
    const value = fields[field as keyof ActivityFields];
    if (value !== undefined && value !== null && owner !== kind) {
      throw new CrmError('field_not_for_kind', `${field} applies to ${owner}s, not to ${kind}s.`);
    }
  }
}

async function checkLinks(deps: CrmDeps, fields: ActivityFields): Promise<void> {
  await assertExists(deps.db, 'contacts', fields.contactId, 'unknown_contact');
  await assertExists(deps.db, 'companies', fields.companyId, 'unknown_company');
  await assertExists(deps.db, 'deals', fields.dealId, 'unknown_deal');
}

function write(fields: ActivityFields, ownerUserId: string | undefined): ActivityWrite {
  const { ownerId: _ownerId, ...rest } = fields;
  return { ...rest, ownerUserId };
}

async function presented(trx: Transaction<Database>, id: string): Promise<ActivityView> {
  return activityRecord.present((await findActivity(trx, id))!);
}

/** Creates a note, task or call; it needs a subject or a body. */
export async function createActivity(deps: CrmDeps, actor: Actor, input: ActivityFields & { kind: ActivityKind }): Promise<ActivityView> {
  const { kind, ...fields } = input;
  checkKind(kind, fields);
  if (!fields.subject && !fields.body) throw new CrmError('activity_empty', 'Give the activity a subject or a body.');
  await checkLinks(deps, fields);
  const ownerUserId = await resolveOwner(deps.db, actor.user, fields.ownerId);
  return commitWrite(deps, actor, async (trx) => {
    const id = await insertActivity(trx, { ...write(fields, ownerUserId), kind, ownerUserId });
    return {
      result: await presented(trx, id),
      audit: { action: 'activity.create', targetType: 'activity', targetId: id, detail: { kind } },
    };
  });
}

/** Changes fields; a task is done with `doneAt` and reopened with `doneAt: null`. */
export async function changeActivity(deps: CrmDeps, actor: Actor, id: string, input: ActivityFields): Promise<ActivityView> {
  const existing = await editableRecord(deps.db, activityRecord, actor, id);
  checkKind(existing.kind, input);
  await checkLinks(deps, input);
  const ownerUserId = input.ownerId === undefined ? undefined : await resolveOwner(deps.db, actor.user, input.ownerId);
  return commitWrite(deps, actor, async (trx) => {
    await updateActivity(trx, existing.id, write(input, ownerUserId));
    return {
      result: await presented(trx, existing.id),
      audit: changeAudit('activity', existing.id, input),
    };
  });
}
