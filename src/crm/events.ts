import type { EventBus } from '../events/index.ts';

export interface ContactCreatedEvent {
  contactId: string;
  addresses: string[];
}

export interface ContactEmailAddedEvent {
  contactId: string;
  /** Lowercased. */
  address: string;
}

export interface CompanyDomainAddedEvent {
  companyId: string;
  /** Lowercased, IDNs in their ASCII (xn--) form. */
  domain: string;
}

/** The CRM records whose changes are announced (webhooks subscribe to them). */
export type ChangedRecordKind = 'contact' | 'company' | 'deal';
export type RecordChangeAction = 'created' | 'updated' | 'deleted';

/** A contact, company or deal was created, changed or deleted; raised after the write committed. */
export interface RecordChangedEvent {
  kind: ChangedRecordKind;
  id: string;
  action: RecordChangeAction;
  /** Who made the change; null for changes nobody asked for by hand. */
  actorUserId: string | null;
  /** The fields the change named (API field names, never their values); empty for created and deleted. */
  changedFields: string[];
}

/** A deal moved to another pipeline stage (also raised as a `record.changed` update). */
export interface DealStageChangedEvent {
  dealId: string;
  fromStageId: string | null;
  toStageId: string;
  actorUserId: string | null;
}

// The CRM's events join the shared bus's typed map, so the linker subscribes with `events.onLocal(...)`.
declare module '../events/bus.ts' {
  interface EventMap {
    'contact.created': ContactCreatedEvent;
    /** Emitted for every address a contact gains, those it was created with included. */
    'contact.email_added': ContactEmailAddedEvent;
    'company.domain_added': CompanyDomainAddedEvent;
    'record.changed': RecordChangedEvent;
    'deal.stage_changed': DealStageChangedEvent;
  }
}

/** What a committed write wants announced; routes emit these only after the transaction commits. */
export type CrmEvent =
  | { type: 'contact.created'; data: ContactCreatedEvent }
  | { type: 'contact.email_added'; data: ContactEmailAddedEvent }
  | { type: 'company.domain_added'; data: CompanyDomainAddedEvent }
  | { type: 'record.changed'; data: RecordChangedEvent }
  | { type: 'deal.stage_changed'; data: DealStageChangedEvent };

export function emitCrmEvents(bus: EventBus | undefined, events: CrmEvent[]): void {
  if (!bus) return;
  for (const e of events) bus.emit(e.type, e.data as never);
}

export function contactCreatedEvents(contactId: string, addresses: string[]): CrmEvent[] {
  return [
    { type: 'contact.created', data: { contactId, addresses } },
    ...addresses.map((address): CrmEvent => ({ type: 'contact.email_added', data: { contactId, address } })),
  ];
}

const CHANGED_KINDS: ReadonlySet<string> = new Set<ChangedRecordKind>(['contact', 'company', 'deal']);

/** `record.changed` for a contact, company or deal; none for the CRM's other records (activities, purchases). */
export function recordChanged(
  kind: string,
  id: string,
  action: RecordChangeAction,
  actorUserId: string | null,
  changedFields: string[] = [],
): CrmEvent[] {
  if (!CHANGED_KINDS.has(kind)) return [];
  return [{ type: 'record.changed', data: { kind: kind as ChangedRecordKind, id, action, actorUserId, changedFields } }];
}
