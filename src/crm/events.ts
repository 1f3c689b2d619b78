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

// The CRM's events join the shared bus's typed map, so the linker subscribes with `events.on(...)`.
declare module '../events/bus.ts' {
  interface EventMap {
    'contact.created': ContactCreatedEvent;
    /** Emitted for every address a contact gains, those it was created with included. */
    'contact.email_added': ContactEmailAddedEvent;
    'company.domain_added': CompanyDomainAddedEvent;
  }
}

/** What a committed write wants announced; routes emit these only after the transaction commits. */
export type CrmEvent =
  | { type: 'contact.created'; data: ContactCreatedEvent }
  | { type: 'contact.email_added'; data: ContactEmailAddedEvent }
  | { type: 'company.domain_added'; data: CompanyDomainAddedEvent };

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
