import type { Kysely } from 'kysely';
import { type Actor, auditedWrite } from '../audit/index.ts';
import type { User } from '../auth/tables.ts';
import type { Database } from '../db/schema.ts';
import { sanitizeComposedHtml } from '../ingest/index.ts';
import { ForbiddenError, NotFoundError } from '../kernel/index.ts';
import { OutboxError } from './errors.ts';
import { fieldsIn, type MergeValues, renderTemplate, splitName } from './merge.ts';
import type { TemplateRow } from './tables.ts';

export interface TemplateInput {
  name: string;
  language: 'en' | 'zh-CN';
  subject: string;
  html: string;
  shared: boolean;
}

/** Personal templates are their owner's; shared ones (owner null) everyone reads and admins write. */
const isEditable = (row: TemplateRow, user: User) => (row.owner_user_id === null ? user.role === 'admin' : row.owner_user_id === user.id);

export function presentTemplate(row: TemplateRow, user: User) {
  return {
    id: row.id,
    name: row.name,
    language: row.language,
    subject: row.subject,
    html: row.html_body,
    shared: row.owner_user_id === null,
    editable: isEditable(row, user),
    fields: fieldsIn(row.subject, row.html_body),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** The user's own templates and the shared ones, by name. */
export function listTemplates(db: Kysely<Database>, user: User): Promise<TemplateRow[]> {
  return db
    .selectFrom('message_templates')
    .selectAll()
    .where((eb) => eb.or([eb('owner_user_id', '=', user.id), eb('owner_user_id', 'is', null)]))
    .orderBy('name')
    .orderBy('id')
    .execute();
}

/** A template the user may read; someone else's personal one does not exist for them. */
export async function readTemplate(db: Kysely<Database>, user: User, id: string): Promise<TemplateRow> {
  const row = await db.selectFrom('message_templates').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || (row.owner_user_id !== null && row.owner_user_id !== user.id)) throw new NotFoundError('template');
  return row;
}

const notEditable = () =>
  new OutboxError('template_not_editable', 'Only its owner (an admin, for a shared template) can change this template.');

export async function createTemplate(db: Kysely<Database>, actor: Actor, input: TemplateInput): Promise<TemplateRow> {
  if (input.shared && actor.user.role !== 'admin') throw new ForbiddenError('Only admins can share templates.');
  return auditedWrite(db, actor, async (trx) => {
    const row = await trx
      .insertInto('message_templates')
      .values({
        owner_user_id: input.shared ? null : actor.user.id,
        created_by: actor.user.id,
        name: input.name,
        language: input.language,
        subject: input.subject,
        html_body: sanitizeComposedHtml(input.html),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return {
      result: row,
      audit: { action: 'template.create', targetType: 'template', targetId: row.id, detail: { shared: input.shared } },
    };
  });
}

export async function updateTemplate(db: Kysely<Database>, actor: Actor, id: string, input: Partial<TemplateInput>): Promise<TemplateRow> {
  const current = await readTemplate(db, actor.user, id);
  if (!isEditable(current, actor.user)) throw notEditable();
  if (input.shared !== undefined && input.shared !== (current.owner_user_id === null) && actor.user.role !== 'admin')
    throw new ForbiddenError('Only admins can share templates.');
  return auditedWrite(db, actor, async (trx) => {
    const row = await trx
      .updateTable('message_templates')
      .set({
        ...(input.name !== undefined && { name: input.name }),
        ...(input.language !== undefined && { language: input.language }),
        ...(input.subject !== undefined && { subject: input.subject }),
        ...(input.html !== undefined && { html_body: sanitizeComposedHtml(input.html) }),
        ...(input.shared !== undefined && { owner_user_id: input.shared ? null : actor.user.id }),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return {
      result: row,
      audit: { action: 'template.update', targetType: 'template', targetId: id, detail: { changed: Object.keys(input) } },
    };
  });
}

export async function deleteTemplate(db: Kysely<Database>, actor: Actor, id: string): Promise<void> {
  const current = await readTemplate(db, actor.user, id);
  if (!isEditable(current, actor.user)) throw notEditable();
  await auditedWrite(db, actor, async (trx) => {
    await trx.deleteFrom('message_templates').where('id', '=', id).execute();
    return { result: null, audit: { action: 'template.delete', targetType: 'template', targetId: id } };
  });
}

/** The merge values of a contact, company and deal (a contact's company and a deal's company fill company.* when none is named). */
export async function mergeValues(
  db: Kysely<Database>,
  user: User,
  ids: { contactId?: string | null | undefined; companyId?: string | null | undefined; dealId?: string | null | undefined },
): Promise<MergeValues> {
  const values: MergeValues = { 'me.name': user.name, 'me.email': user.email };
  let companyId = ids.companyId ?? null;
  if (ids.contactId) {
    const c = await db.selectFrom('contacts').selectAll().where('id', '=', ids.contactId).executeTakeFirst();
    if (!c) throw new NotFoundError('contact');
    const email = await db
      .selectFrom('contact_emails')
      .select('address')
      .where('contact_id', '=', c.id)
      .orderBy('is_primary', 'desc')
      .orderBy('created_at')
      .executeTakeFirst();
    const { firstName, lastName } = splitName(c.name);
    Object.assign(values, {
      'contact.name': c.name,
      'contact.firstName': firstName,
      'contact.lastName': lastName,
      'contact.email': email?.address ?? null,
      'contact.title': c.title,
    });
    companyId ??= c.company_id;
  }
  if (ids.dealId) {
    const d = await db.selectFrom('deals').selectAll().where('id', '=', ids.dealId).executeTakeFirst();
    if (!d) throw new NotFoundError('deal');
    Object.assign(values, { 'deal.name': d.name, 'deal.amount': `${d.amount} ${d.currency}` });
    companyId ??= d.company_id;
  }
  if (companyId) {
    const co = await db.selectFrom('companies').select(['id', 'name']).where('id', '=', companyId).executeTakeFirst();
    if (!co) throw new NotFoundError('company');
    const domain = await db
      .selectFrom('company_domains')
      .select('domain')
      .where('company_id', '=', co.id)
      .orderBy('created_at')
      .executeTakeFirst();
    Object.assign(values, { 'company.name': co.name, 'company.domain': domain?.domain ?? null });
  }
  return values;
}

/** POST /templates/:id/render: the template filled from the records, with the fields they could not fill. */
export async function renderForRecords(
  db: Kysely<Database>,
  user: User,
  id: string,
  ids: { contactId?: string | null | undefined; companyId?: string | null | undefined; dealId?: string | null | undefined },
) {
  const row = await readTemplate(db, user, id);
  return renderTemplate({ subject: row.subject, html: row.html_body }, await mergeValues(db, user, ids));
}
